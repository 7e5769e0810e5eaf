import { DynamicModule, Global, Module } from '@nestjs/common';

/** The server secret of the suppression hashes (`SUPPRESSION_SECRET`, or the one generated into `DATA_DIR`). */
export const SUPPRESSION_SECRET = Symbol('SUPPRESSION_SECRET');

/** Registered once by the composition root: `SuppressionSecretModule.forRoot(secret)`. */
@Global()
@Module({})
export class SuppressionSecretModule {
  static forRoot(secret: string): DynamicModule {
    if (!secret || secret.length < 32) throw new Error('The suppression secret must have at least 32 characters');
    return {
      module: SuppressionSecretModule,
      providers: [{ provide: SUPPRESSION_SECRET, useValue: secret }],
      exports: [SUPPRESSION_SECRET],
    };
  }
}
