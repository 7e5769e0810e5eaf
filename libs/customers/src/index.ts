// The only public face of the customers lib (DESIGN.md "Layout").
export { CustomersModule } from './customers.module';
export { CustomersService, MAX_TAGS_LISTED, type CreateManyResult } from './customers.service';
export type { DuplicateProbe, DuplicateCandidateRow, RecipientRow } from './customers.repository';
export { CustomerIntake, MAX_NAME_LENGTH } from './intake/customer-intake';
export type {
  NewCustomer,
  NewCustomerFields,
  RawCustomer,
  CustomerField,
  CustomerIssue,
  CustomerCheck,
  IntakeContext,
  IntakeOptions,
} from './intake/new-customer';
export { PropertyDefinitionsService } from './properties/property-definitions.service';
export {
  CustomerDeletionHooks,
  CustomerErasureHooks,
  erasureNeedles,
  type CustomerDeletionHook,
  type CustomerErasureHook,
  type DeletedCustomerRef,
  type ErasedPeople,
} from './customer-deletion.hooks';
export { CustomerLinks, type CustomerLinkRow, type CustomerLinkChange } from './customer-links';
export { CustomerActivityStore, type ActivityTouch } from './customer-activity.store';
export { CustomerTallies, type CreatedCustomerRef } from './customer-tallies';
export {
  CustomerCreatedEvent,
  CustomerUpdatedEvent,
  CustomerDeletedEvent,
  CustomerConsentChangedEvent,
  CustomersErasedEvent,
} from './customers.events';
export { CustomerErasure } from './customer-erasure';
export { CustomerConsent } from './consent/customer-consent';
export { ConsentDto, ConsentChangeDto, ActorDto, SetConsentDto } from './consent/consent.dto';
export {
  CONSENT_STATUSES,
  CONSENT_SOURCES,
  actorOf,
  isConsentStatus,
  type ConsentStatus,
  type ConsentSource,
  type ConsentChange,
  type ConsentActor,
} from './consent/consent.types';
export { Suppressions, type ContactPoints } from './suppression/suppressions';
export { SuppressionSecretModule, SUPPRESSION_SECRET } from './suppression/suppression-secret';
export { IdentitySuppressedError, SuppressionNotFoundError } from './suppression/suppression.errors';
export { SuppressionDto, SuppressionPageDto, SUPPRESSION_KINDS, type SuppressionKind } from './suppression/suppression.dto';
export { CustomerGroupsQuery } from './customers.queries';
export { CustomerExistsError, CustomerNotFoundError, PropertyDefinitionNotFoundError } from './customers.errors';
export {
  toCustomerResponse,
  CustomerResponseDto,
  CustomerDetailDto,
  CustomerChannelDto,
  CustomerGroupRefDto,
  PROPERTY_VALUE_SCHEMA,
  PROPERTIES_SCHEMA,
  type CustomerRow,
} from './dto/customer.dto';
export { CreateCustomerDto, UpdateCustomerDto, TagCountDto, PLATFORMS } from './dto/customer-input.dto';
export { PropertyDefinitionDto, CreatePropertyDefinitionDto, UpdatePropertyDefinitionDto } from './properties/dto/property-definition.dto';
export {
  PROPERTY_TYPES,
  PROPERTY_KEY_PATTERN,
  RESERVED_PROPERTY_KEYS,
  checkPropertyValue,
  checkPropertyValues,
  isIsoDate,
  type PropertyType,
  type PropertyDefinition,
  type PropertyValuesCheck,
} from './properties/property-values';
export { checkEmail, checkPhone, normalizeTags, pickValue, tagIssues, MAX_TAGS, MAX_TAG_LENGTH } from './contact-fields';
export { foldText, buildSearchText } from './search-text';
export * from './filter';
export * from './import-export';
