import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { MAX_SELECT_OPTIONS, PROPERTY_KEY_PATTERN, PROPERTY_TYPES, type PropertyDefinition, type PropertyType } from '../property-values';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimEach = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value;

export class PropertyDefinitionDto implements PropertyDefinition {
  @ApiProperty({ example: 'city' }) key!: string;
  @ApiProperty({ example: 'City' }) label!: string;
  @ApiProperty({ enum: PROPERTY_TYPES }) type!: PropertyType;
  @ApiPropertyOptional({ type: [String], example: ['Jakarta', 'Bandung'], description: 'Only for select' }) options?: string[];
}

export class CreatePropertyDefinitionDto {
  @ApiProperty({ example: 'city', pattern: PROPERTY_KEY_PATTERN.source, description: 'Not a built-in field name (case-insensitive)' })
  @IsString()
  @Matches(PROPERTY_KEY_PATTERN, { message: 'key must start with a letter and hold only letters, digits and _ (at most 64)' })
  key!: string;

  @ApiProperty({ example: 'City', minLength: 1, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  label!: string;

  @ApiProperty({ enum: PROPERTY_TYPES })
  @IsIn(PROPERTY_TYPES)
  type!: PropertyType;

  @ApiPropertyOptional({ type: [String], description: `Required for select (1–${MAX_SELECT_OPTIONS} distinct strings), refused otherwise` })
  @IsOptional()
  @Transform(trimEach)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SELECT_OPTIONS)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  options?: string[];
}

/** The type cannot change once created; removing options removes those values from customers. */
export class UpdatePropertyDefinitionDto {
  @ApiPropertyOptional({ example: 'Home city', minLength: 1, maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  label?: string;

  @ApiPropertyOptional({ enum: PROPERTY_TYPES, description: 'Accepted only when equal to the current type' })
  @IsOptional()
  @IsIn(PROPERTY_TYPES)
  type?: PropertyType;

  @ApiPropertyOptional({ type: [String], description: 'Select only: the whole new list of options' })
  @IsOptional()
  @Transform(trimEach)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SELECT_OPTIONS)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  options?: string[];
}

export function toPropertyDefinitionDto(d: PropertyDefinition): PropertyDefinitionDto {
  return d.type === 'select'
    ? { key: d.key, label: d.label, type: d.type, options: d.options ?? [] }
    : { key: d.key, label: d.label, type: d.type };
}
