import { Prng } from './prng';

/**
 * The shape of the generated data set: channels, property definitions, value vocabularies and their skew.
 * Everything here is a constant; randomness comes from the seeded PRNG, so a seed and a scale fix the data.
 */

export const BIG_APP = 'bench-big';
export const smallAppId = (i: number) => `bench-small-${String(i + 1).padStart(2, '0')}`;
export const SMALL_APPS = 50;

/** Fixed end of the generated year, so that the same seed gives the same rows on any day. */
export const DATA_END = Date.parse('2026-12-01T00:00:00.000Z');
export const DATA_SPAN_MS = 365 * 24 * 3600 * 1000;

export interface ChannelSpec {
  type: string;
  name: string;
  config: Record<string, unknown>;
  /** Share of the app's customers on this channel (relative). */
  weight: number;
}

/** The big app's 20 channel instances: every type, WhatsApp and the widget carrying most customers. */
export const BIG_APP_CHANNELS: ChannelSpec[] = [
  { type: 'wa', name: 'WhatsApp Jakarta', config: {}, weight: 14 },
  { type: 'wa', name: 'WhatsApp Surabaya', config: {}, weight: 8 },
  { type: 'wa', name: 'WhatsApp Bandung', config: {}, weight: 6 },
  { type: 'wa', name: 'WhatsApp Medan', config: {}, weight: 4 },
  { type: 'wa', name: 'WhatsApp Support', config: {}, weight: 8 },
  { type: 'qiscus', name: 'Web Widget', config: { identifierType: 'phone' }, weight: 8 },
  { type: 'qiscus', name: 'Mobile App', config: { identifierType: 'phone' }, weight: 7 },
  { type: 'qiscus', name: 'Web Widget EN', config: { identifierType: 'email' }, weight: 5 },
  { type: 'qiscus', name: 'Help Center', config: { identifierType: 'email' }, weight: 5 },
  { type: 'ig', name: 'Instagram Store', config: {}, weight: 5 },
  { type: 'ig', name: 'Instagram Brand', config: {}, weight: 3 },
  { type: 'fb', name: 'Facebook Page', config: {}, weight: 4 },
  { type: 'fb', name: 'Facebook Outlet', config: {}, weight: 3 },
  { type: 'line', name: 'LINE Official', config: {}, weight: 3 },
  { type: 'line', name: 'LINE Thailand', config: {}, weight: 2 },
  { type: 'telegram', name: 'Telegram Bot', config: {}, weight: 3 },
  { type: 'telegram', name: 'Telegram Support', config: {}, weight: 2 },
  { type: 'tiktok', name: 'TikTok Shop', config: {}, weight: 3 },
  { type: 'tiktok', name: 'TikTok Live', config: {}, weight: 2 },
  { type: 'custom', name: 'Legacy CRM', config: { identifierType: 'text' }, weight: 5 },
];

export const SMALL_APP_CHANNELS: ChannelSpec[] = [
  { type: 'wa', name: 'WhatsApp', config: {}, weight: 6 },
  { type: 'qiscus', name: 'Web Widget', config: { identifierType: 'phone' }, weight: 3 },
  { type: 'ig', name: 'Instagram', config: {}, weight: 1 },
];

export interface PropertySpec {
  key: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'boolean' | 'select';
  options?: string[];
  /** Share of customers with a value. */
  presence: number;
  value(rng: Prng): unknown;
}

const CITIES = [
  'Jakarta',
  'Surabaya',
  'Bandung',
  'Medan',
  'Semarang',
  'Makassar',
  'Palembang',
  'Denpasar',
  'Yogyakarta',
  'Balikpapan',
  'Singapore',
  'Kuala Lumpur',
];
const TIERS = ['bronze', 'silver', 'gold', 'platinum'];
const LANGUAGES = ['id', 'en', 'ms', 'zh', 'th'];
const COMPANIES = [
  'PT Maju Jaya',
  'CV Sentosa',
  'Toko Makmur',
  'Warung Berkah',
  'PT Sinar Abadi',
  'Koperasi Sejahtera',
  'Acme Asia',
  'Global Niaga',
];

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const PROPERTIES: PropertySpec[] = [
  { key: 'city', label: 'City', type: 'select', options: CITIES, presence: 0.85, value: (r) => CITIES[r.zipf(CITIES.length, 1.2)] },
  { key: 'tier', label: 'Tier', type: 'select', options: TIERS, presence: 0.7, value: (r) => r.weighted(TIERS, [60, 25, 12, 3]) },
  { key: 'age', label: 'Age', type: 'number', presence: 0.5, value: (r) => 18 + r.int(53) },
  {
    key: 'birthday',
    label: 'Birthday',
    type: 'date',
    presence: 0.3,
    value: (r) => isoDay(Date.parse('1960-01-01') + r.int(45 * 365) * 86400000),
  },
  {
    key: 'gender',
    label: 'Gender',
    type: 'select',
    options: ['female', 'male', 'other'],
    presence: 0.6,
    value: (r) => r.weighted(['female', 'male', 'other'], [52, 46, 2]),
  },
  { key: 'newsletter', label: 'Newsletter', type: 'boolean', presence: 0.5, value: (r) => r.chance(0.35) },
  { key: 'lifetime_value', label: 'Lifetime value', type: 'number', presence: 0.4, value: (r) => Math.round(Math.exp(8 + r.next() * 6)) },
  { key: 'company', label: 'Company', type: 'text', presence: 0.2, value: (r) => COMPANIES[r.zipf(COMPANIES.length)] },
  {
    key: 'language',
    label: 'Language',
    type: 'select',
    options: LANGUAGES,
    presence: 0.8,
    value: (r) => r.weighted(LANGUAGES, [70, 20, 5, 3, 2]),
  },
  { key: 'last_order_date', label: 'Last order', type: 'date', presence: 0.35, value: (r) => isoDay(DATA_END - r.int(365) * 86400000) },
];

// First names skew Zipf-like (the list's head is common); accents and non-Latin scripts keep search honest.
export const FIRST_NAMES = [
  'Budi',
  'Siti',
  'Agus',
  'Dewi',
  'Andi',
  'Rina',
  'Putri',
  'Ahmad',
  'Sri',
  'Joko',
  'Ayu',
  'Dimas',
  'Eka',
  'Fajar',
  'Gita',
  'Hendra',
  'Indah',
  'Kevin',
  'Lestari',
  'Mega',
  'Nur',
  'Oki',
  'Rizky',
  'Yusuf',
  'Wulan',
  'Maria',
  'José',
  'Zoë',
  'Nguyễn',
  'Somchai',
  'Wei',
  'Aiko',
  'Sébastien',
  'Muhammad',
  'Fatimah',
  'Łukasz',
  'Ömer',
  'สมชาย',
  '王芳',
  'Anh',
];
export const LAST_NAMES = [
  'Santoso',
  'Wijaya',
  'Pratama',
  'Saputra',
  'Hidayat',
  'Kusuma',
  'Setiawan',
  'Nugroho',
  'Siregar',
  'Halim',
  'Tan',
  'Lim',
  'Gunawan',
  'Susanto',
  'Hartono',
  'Rahman',
  'Putra',
  'Sari',
  'Wibowo',
  'Purnomo',
  'García',
  'Müller',
  'Trần',
  'Øster',
  'Chandra',
  'Kurniawan',
  'Syahputra',
  'Lubis',
  'Nasution',
  'Simanjuntak',
];
export const DOMAINS = ['gmail.com', 'yahoo.co.id', 'outlook.com', 'mail.id', 'example.co.id'];

export const TAGS = ['new', 'returning', 'vip', 'loyal', 'promo-2026', 'wholesale', 'reseller', 'b2b', 'complaint', 'churn-risk'];
/** The tag carried by exactly min(10,000, customers / 100) customers of the big app: the group scenario's filter. */
export const COHORT_TAG = 'cohort-10k';
export const COHORT_MAX = 10_000;

/** Activity types of the non-creation events and their shares; ads and broadcasts only reach WhatsApp customers. */
export const ACTIVITY_MIX: { type: string; weight: number }[] = [
  { type: 'conversation.started', weight: 8 },
  { type: 'conversation.resolved', weight: 7 },
  { type: 'message.inbound_from_ad', weight: 10 },
  { type: 'broadcast.received', weight: 25 },
  { type: 'purchase.completed', weight: 10 },
  { type: 'csat.submitted', weight: 10 },
  { type: 'ticket.created', weight: 5 },
  { type: 'ticket.resolved', weight: 5 },
  { type: 'crm.updated', weight: 20 },
];
export const ACTIVITY_TYPES = ['customer.created', ...ACTIVITY_MIX.map((a) => a.type)];

/** Sources per channel type: WhatsApp takes every source (CH4), the others admin and organic. */
export function pickSource(rng: Prng, type: string): string {
  if (type === 'wa') return rng.weighted(['organic', 'ads', 'broadcast', 'admin'], [50, 25, 10, 15]);
  return rng.weighted(['organic', 'admin'], [80, 20]);
}

/** A name: first (skewed), last (skewed), sometimes a middle one. */
export function pickName(rng: Prng): { first: string; last: string; full: string } {
  const first = FIRST_NAMES[rng.zipf(FIRST_NAMES.length, 0.9)];
  const last = LAST_NAMES[rng.zipf(LAST_NAMES.length, 0.9)];
  const middle = rng.chance(0.15) ? ` ${FIRST_NAMES[rng.int(FIRST_NAMES.length)]}` : '';
  return { first, last, full: `${first}${middle} ${last}` };
}

const ascii = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase() || 'user';

/**
 * The identifier (valid for the channel type, CH3) and contact fields of customer number `n` (unique in the
 * whole data set, so identifiers never collide).
 */
export function contactFor(
  rng: Prng,
  spec: ChannelSpec,
  n: number,
  name: { first: string; last: string },
): { identifier: string; email: string | null; phone: string | null } {
  const digits8 = String(n % 100_000_000).padStart(8, '0');
  const mail = `${ascii(name.first)}.${ascii(name.last)}${n}@${DOMAINS[n % DOMAINS.length]}`;
  const maybeMail = rng.chance(0.55) ? mail : null;
  switch (spec.type) {
    case 'wa': {
      const id = `62812${digits8}`;
      return { identifier: id, email: maybeMail, phone: `+${id}` };
    }
    case 'qiscus':
      if (spec.config.identifierType === 'email')
        return { identifier: mail, email: mail, phone: rng.chance(0.3) ? `+62857${digits8}` : null };
      return { identifier: `+62813${digits8}`, email: maybeMail, phone: `+62813${digits8}` };
    case 'ig':
      return { identifier: `178414${String(n).padStart(10, '0')}`, email: maybeMail, phone: null };
    case 'fb':
      return { identifier: `1000${String(n).padStart(11, '0')}`, email: maybeMail, phone: null };
    case 'telegram':
      return { identifier: `5${String(n).padStart(9, '0')}`, email: null, phone: rng.chance(0.3) ? `+62878${digits8}` : null };
    case 'line':
      return { identifier: `U${rng.hex(32)}`, email: maybeMail, phone: null };
    case 'tiktok':
      return { identifier: `_000${rng.hex(20)}.${n.toString(36)}`, email: null, phone: null };
    default:
      return { identifier: `crm-${n}`, email: maybeMail, phone: rng.chance(0.4) ? `+62811${digits8}` : null };
  }
}

/** The activity's `data`, small and typical of its type. */
export function activityData(rng: Prng, type: string, roomId: string | undefined): Record<string, unknown> {
  switch (type) {
    case 'conversation.started':
    case 'conversation.resolved':
      return { roomId };
    case 'message.inbound_from_ad':
      return { adId: `ad-${rng.int(400)}`, campaign: `campaign-${rng.int(30)}` };
    case 'broadcast.received':
      return { broadcastId: `bc-${rng.int(2000)}`, status: rng.chance(0.9) ? 'delivered' : 'read' };
    case 'purchase.completed':
      return { orderId: `o-${rng.hex(10)}`, amount: 10_000 + rng.int(2_000_000), currency: 'IDR' };
    case 'csat.submitted':
      return { rating: 1 + rng.zipf(5, 0.6) };
    case 'ticket.created':
    case 'ticket.resolved':
      return { ticketId: `t-${rng.int(1_000_000)}` };
    case 'crm.updated':
      return { system: 'crm', recordId: `r-${rng.int(1_000_000)}` };
    default:
      return {};
  }
}

/** The big app's time zone (its settings): the analytics answer in local days, tracked and back-filled like the app's own. */
export const BIG_APP_TIMEZONE = 'Asia/Jakarta';

/**
 * Consent (API.md "Consent"): most customers never said (`unknown`); WhatsApp, where business-initiated messages
 * need an opt-in, has the most opted in. Shares per channel type: [opted in, opted out].
 */
export function consentShares(type: string): [number, number] {
  if (type === 'wa') return [0.18, 0.04];
  if (type === 'qiscus') return [0.08, 0.02];
  return [0.04, 0.015];
}

/** Who records consent besides events: a CRM sync through the API, imports, agents in the console. */
export const CONSENT_SOURCES: { source: 'api' | 'import' | 'console'; weight: number; actor: Record<string, string> }[] = [
  { source: 'api', weight: 50, actor: { userId: 'crm-sync', role: 'admin', via: 'api_key' } },
  { source: 'import', weight: 30, actor: { userId: 'ops@bench.example.com', role: 'admin', via: 'token' } },
  { source: 'console', weight: 20, actor: { userId: 'agent@bench.example.com', role: 'agent', via: 'token' } },
];

/**
 * The person of the data-export scenario: one WhatsApp customer of the big app with 100,000 activities at scale 1
 * (scaled down, at least 1,000), created at the start of the year so that it is on no first page.
 */
export const EXPORT_PERSON = { identifier: '6289900000001', name: 'Wulan Kartika', email: 'wulan.kartika@example.co.id' };
export const exportPersonActivities = (scale: number) => Math.max(1000, Math.round(100_000 * scale));
