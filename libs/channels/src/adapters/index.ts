import { CustomAdapter } from './custom/custom.adapter';
import { FbAdapter } from './fb/fb.adapter';
import { IgAdapter } from './ig/ig.adapter';
import { LineAdapter } from './line/line.adapter';
import { QiscusAdapter } from './qiscus/qiscus.adapter';
import { TelegramAdapter } from './telegram/telegram.adapter';
import { TiktokAdapter } from './tiktok/tiktok.adapter';
import { WaAdapter } from './wa/wa.adapter';

/** The built-in channel types (FEATURES.md CH1), in the order GET /v1/channel-types lists them. */
export const BUILT_IN_ADAPTERS = [
  QiscusAdapter,
  WaAdapter,
  LineAdapter,
  FbAdapter,
  IgAdapter,
  TelegramAdapter,
  TiktokAdapter,
  CustomAdapter,
];

export { CustomAdapter, FbAdapter, IgAdapter, LineAdapter, QiscusAdapter, TelegramAdapter, TiktokAdapter, WaAdapter };
