import { DynamicModule, Global, Module } from '@nestjs/common';
import { CURSOR_CODEC, CursorCodec } from './cursor';
import { DatabaseModule } from './database/database.module';
import { Db } from './database/db';
import { DatabaseOptions } from './database/database.options';

export interface PlatformOptions {
  database: DatabaseOptions;
  /** Signs list cursors; derived from the JWT secret by the composition root. */
  cursorSecret: string;
}

/** Infrastructure every lib may use: the database, cursor signing. Nothing domain-specific. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(opts: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [DatabaseModule.forRoot(opts.database)],
      providers: [{ provide: CURSOR_CODEC, useValue: new CursorCodec(opts.cursorSecret) }, Db],
      exports: [CURSOR_CODEC, DatabaseModule, Db],
    };
  }
}
