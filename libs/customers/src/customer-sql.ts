import { Sql } from '@cdp/platform';

/**
 * The select list of a customer row (`CustomerRow`): `c` is `customers`, `ch` the joined `channels`, `ca` the
 * left-joined `customer_activity`. Use with `CUSTOMER_FROM`. Internal to this lib: other libs ask it for
 * rows through its public face (DESIGN.md "Who owns customer rows").
 */
export const CUSTOMER_COLUMNS = Sql.raw(
  `c.id, c.app_id, c.channel_id, ch.type as channel_type, ch.name as channel_name, c.identifier, c.name, c.email,
   c.phone_number, c.source, c.platform, c.tags, c.properties, c.profile_id, c.main_channel,
   c.consent_status, c.consent_updated_at, c.consent_source, ca.last_activity_at, c.created_at, c.updated_at`,
);
export const CUSTOMER_FROM = Sql.raw(
  `customers c
   join channels ch on ch.app_id = c.app_id and ch.id = c.channel_id
   left join customer_activity ca on ca.app_id = c.app_id and ca.customer_id = c.id`,
);
