import { Global, Module } from '@nestjs/common';
import { AbilityService } from './ability.service';
import { AuditController } from './audit/audit.controller';
import { AuditService } from './audit/audit.service';
import { PoliciesGuard } from './policies.guard';
import { SettingsController } from './settings/settings.controller';
import { SettingsService } from './settings/settings.service';

/** Identity, roles, the CASL ability, app settings and the audit log. */
@Global()
@Module({
  controllers: [SettingsController, AuditController],
  providers: [SettingsService, AuditService, AbilityService, PoliciesGuard],
  exports: [SettingsService, AuditService, AbilityService, PoliciesGuard],
})
export class AccessModule {}
