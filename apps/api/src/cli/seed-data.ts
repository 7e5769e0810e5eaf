import type { INestApplicationContext } from '@nestjs/common';
import { ChannelsService, type ChannelInstance } from '@cdp/channels';
import {
  checkPhone,
  CustomerIntake,
  CustomerQueryService,
  CustomersService,
  foldText,
  PropertyDefinitionsService,
  type RawCustomer,
} from '@cdp/customers';
import { Db, OutboxRelay } from '@cdp/platform';

/**
 * `npm run seed -- --app demo [--customers 300]`: demo data through the services, so every rule holds (every
 * customer through the one door for new customers: identifiers read by their channel's adapter, sources allowed
 * by the type, property values checked). The channels and property definitions are made once; each run adds
 * exactly `--customers` new customers (numbered on from those the app has), a thousand per transaction.
 */

const CHANNELS: { type: string; name: string; config?: Record<string, unknown> }[] = [
  { type: 'qiscus', name: 'Website chat', config: { identifierType: 'email' } },
  { type: 'wa', name: 'WhatsApp Jakarta' },
  { type: 'wa', name: 'WhatsApp Bangkok' },
  { type: 'line', name: 'LINE Official' },
  { type: 'fb', name: 'Facebook Messenger' },
  { type: 'ig', name: 'Instagram' },
  { type: 'telegram', name: 'Telegram' },
  { type: 'tiktok', name: 'TikTok Shop' },
  { type: 'custom', name: 'CRM', config: { identifierType: 'text' } },
];

const CITIES = ['Jakarta', 'Bandung', 'Surabaya', 'Medan', 'Bangkok', 'Chiang Mai', 'Hanoi', 'Ho Chi Minh City'];
const TIERS = ['bronze', 'silver', 'gold', 'platinum'];
const PROPERTIES = [
  { key: 'city', label: 'City', type: 'select' as const, options: CITIES },
  { key: 'tier', label: 'Tier', type: 'select' as const, options: TIERS },
  { key: 'birthday', label: 'Birthday', type: 'date' as const },
  { key: 'vip', label: 'VIP', type: 'boolean' as const },
  { key: 'lifetime_value', label: 'Lifetime value', type: 'number' as const },
  { key: 'note', label: 'Note', type: 'text' as const },
];
const TAGS = ['vip', 'new', 'returning', 'promo', 'complaint', 'wholesale', 'reseller', 'newsletter'];
const NOTES = ['Prefers WhatsApp', 'Asked about delivery times', 'Interested in the loyalty program', 'Call after 5 pm', 'Bulk buyer'];

const PEOPLE: Record<'ID' | 'TH' | 'VN', { first: string[]; last: string[]; phone: (n: number) => string; cities: string[] }> = {
  ID: {
    first: [
      'Budi',
      'Siti',
      'Agus',
      'Dewi',
      'Rizky',
      'Putri',
      'Andi',
      'Ayu',
      'Yusuf',
      'Ratna',
      'Eko',
      'Indah',
      'Fajar',
      'Wulan',
      'Hendra',
      'Nurul',
    ],
    last: [
      'Santoso',
      'Wijaya',
      'Saputra',
      'Lestari',
      'Hidayat',
      'Kusuma',
      'Pratama',
      'Nugroho',
      'Rahmawati',
      'Siregar',
      'Halim',
      'Gunawan',
    ],
    phone: (n) => `+62812${String(10_000_000 + n).slice(-8)}`,
    cities: ['Jakarta', 'Bandung', 'Surabaya', 'Medan'],
  },
  TH: {
    first: ['Somchai', 'Suda', 'Anong', 'Niran', 'Kanya', 'Prasert', 'Malee', 'Thana', 'Ploy', 'Kittisak', 'Chanya', 'Arthit'],
    last: ['Srisuk', 'Wongsawat', 'Chaiyaporn', 'Rattanakorn', 'Boonmee', 'Suwannarat', 'Thongdee', 'Kaewmanee', 'Phromsuk', 'Saengthong'],
    phone: (n) => `+668${String(10_000_000 + n).slice(-8)}`,
    cities: ['Bangkok', 'Chiang Mai'],
  },
  VN: {
    first: ['Nguyễn Văn', 'Trần Thị', 'Lê Minh', 'Phạm Thu', 'Hoàng Anh', 'Võ Thị', 'Đặng Quốc', 'Bùi Thanh', 'Đỗ Ngọc', 'Huỳnh Gia'],
    last: ['An', 'Bình', 'Hương', 'Dũng', 'Lan', 'Tuấn', 'Mai', 'Khoa', 'Linh', 'Phúc', 'Thảo', 'Đức'],
    phone: (n) => `+8491${String(1_000_000 + n).slice(-7)}`,
    cities: ['Hanoi', 'Ho Chi Minh City'],
  },
};

// A small deterministic generator: the same app and count always give the same customers.
function mix(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
function pick<T>(list: readonly T[], n: number): T {
  return list[mix(n) % list.length];
}
/** `len` hex characters that differ for every `n` (its own hex first, then mixed digits that look random). */
const hex = (n: number, len: number) => {
  let s = n.toString(16).padStart(8, '0');
  for (let k = 1; s.length < len; k++)
    s += mix(n * 31 + k)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, len);
};

function identifierFor(type: string, i: number, phone: string, email: string): string {
  switch (type) {
    case 'qiscus':
      return email;
    case 'wa':
      return phone.replace(/^\+/, '');
    case 'line':
      return `U${hex(i, 32)}`;
    case 'tiktok':
      return `_000${hex(i, 20)}`;
    case 'custom':
      return `crm-${String(i).padStart(6, '0')}`;
    default:
      return String(1_000_000_000 + i * 7919);
  }
}

/** Customers are written this many per transaction (one insert each). */
const BATCH = 1000;

/** The demo person number `i`: its channel, identifier and data follow from `i` alone. */
function personAt(i: number, channels: ChannelInstance[], channelsService: ChannelsService): RawCustomer {
  const country = pick(['ID', 'ID', 'TH', 'VN'] as const, i);
  const people = PEOPLE[country];
  const name = `${pick(people.first, i * 7 + 3)} ${pick(people.last, i * 13 + 5)}`;
  const channel = channels[i % channels.length];
  const phone = checkPhone(people.phone(i), country).value ?? null;
  const email = `${foldText(name).replace(/[^a-z]+/g, '.')}.${i}@example.com`;
  const sources = channelsService.allowedSources(channel.type);
  const properties: Record<string, unknown> = { city: pick(people.cities, i * 3), tier: pick(TIERS, i * 5) };
  if (i % 3 === 0) properties.vip = i % 2 === 0;
  if (i % 4 === 0)
    properties.birthday = `${1970 + (i % 35)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
  if (i % 5 === 0) properties.lifetime_value = (i * 37) % 5000;
  if (i % 9 === 0) properties.note = pick(NOTES, i);
  return {
    channelId: channel.id,
    identifier: identifierFor(channel.type, i, phone ?? `+62812${i}`, email),
    name,
    email: i % 3 === 2 ? null : email,
    phoneNumber: phone,
    source: pick(sources, i),
    platform: channel.type === 'qiscus' ? pick(['web', 'mobile'] as const, i) : null,
    tags: [pick(TAGS, i), pick(TAGS, i * 11 + 1)],
    properties,
  };
}

export interface SeedResult {
  channelsAdded: number;
  propertiesAdded: number;
  customersAdded: number;
  seconds: number;
}

/** Adds the demo data to an app of a running application context (the seed command, and its test). */
export async function seedDemoData(app: INestApplicationContext, appId: string, count: number): Promise<SeedResult> {
  const channelsService = app.get(ChannelsService);
  const definitions = app.get(PropertyDefinitionsService);
  const customers = app.get(CustomersService);
  const intake = app.get(CustomerIntake);
  const query = app.get(CustomerQueryService);
  const started = Date.now();
  const db = app.get(Db);

  const existing = await channelsService.list(appId);
  const channels: ChannelInstance[] = [];
  let channelsAdded = 0;
  for (const c of CHANNELS) {
    const found = existing.find((e) => e.type === c.type && e.name === c.name);
    if (found) channels.push(found);
    else {
      channels.push(await channelsService.create(appId, c));
      channelsAdded++;
    }
  }

  const defined = new Set((await definitions.list(appId)).map((d) => d.key));
  let propertiesAdded = 0;
  for (const p of PROPERTIES) {
    if (defined.has(p.key)) continue;
    await definitions.create(appId, p);
    propertiesAdded++;
  }

  // `--customers N` adds N new customers: numbering goes on from the customers the app has, and a number
  // whose identifier is taken anyway (a customer added by hand) is skipped for the next one.
  const start = (await query.count(appId, {})).count;
  let created = 0;
  let next = start;
  while (created < count && next < start + count * 2 + 1000) {
    const raws: RawCustomer[] = [];
    for (; raws.length < Math.min(BATCH, count - created); next++) raws.push(personAt(next, channels, channelsService));
    // Every customer goes through the one door for new customers, as the API's do.
    const ctx = await intake.prepare(appId, raws, { channels });
    const batch = raws.map((raw, k) => {
      const check = intake.check(ctx, raw);
      if (!check.customer)
        throw new Error(`seed customer ${next - raws.length + k}: ${check.issues.map((x) => `${x.field} ${x.message}`).join('; ')}`);
      return check.customer;
    });
    const res = await db.transaction((tx) => customers.createMany(tx, appId, batch));
    created += res.created.length;
  }
  // Their customer.created activities are written from the outbox: the time counts until they are.
  await app.get(OutboxRelay).settle();
  const seconds = (Date.now() - started) / 1000;
  return { channelsAdded, propertiesAdded, customersAdded: created, seconds };
}
