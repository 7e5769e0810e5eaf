// The public face of the channels lib: other libs and apps import only from here.
export { ChannelsModule } from './channels.module';
export { ChannelsService, type ChannelRef, type CreateChannelInput, type UpdateChannelInput } from './channels.service';
export { ChannelRegistry } from './channel.registry';
export { ChannelUsageRegistry, type ChannelUsageProbe } from './channel-usage.registry';
export { ChannelInUseError, ChannelPluginError, InvalidIdentifierError, UnknownChannelTypeError } from './channels.errors';
export {
  CHANNEL_TYPE_PATTERN,
  CUSTOMER_SOURCES,
  ChannelPlugin,
  REQUIRED_SOURCES,
  type ChannelAdapter,
  type ChannelConfig,
  type ChannelPluginOptions,
  type ConfigResult,
  type CustomerSource,
  type IdentifierContext,
} from './plugin/channel-adapter';
export {
  checkIdentityGuardrails,
  isJunkIdentifier,
  JUNK_IDENTIFIERS,
  MAX_IDENTIFIER_LENGTH,
  type GuardrailResult,
} from './plugin/identity-guardrails';
export { checkIdentifierWith, type IdentifierCheck, type IdentifierCheckContext } from './plugin/identifier-check';
export { configIssue, emptyConfig, readConfigObject, readEnum } from './plugin/config';
export type { ChannelInstance, ChannelRecord, ChannelTypeInfo } from './dto/channel.dto';
