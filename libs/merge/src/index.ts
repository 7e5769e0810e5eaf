// The only public face of the merge lib (DESIGN.md "Layout").
export { MergeModule } from './merge.module';
export { MergeService } from './merge.service';
export { DuplicatesService, MAX_DUPLICATE_SUGGESTIONS } from './duplicates/duplicates.service';
export { CustomersMergedEvent, CustomerUnmergedEvent, MainChannelChangedEvent } from './merge.events';
export { CustomerAlreadyLinkedError, CustomerNotLinkedError, MergeLimitExceededError } from './merge.errors';
export { MAX_LINKED_SET_SIZE, combineProfile, type CombinedProfile } from './merge-plan';
export { LinkedSetDto, CombinedProfileDto, ProfileValueDto, MergeCustomersDto } from './dto/linked-set.dto';
export { DuplicateSuggestionDto, DUPLICATE_REASONS, type DuplicateReason } from './dto/duplicate.dto';
