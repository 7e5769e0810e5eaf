import { Global, Injectable, Module, Scope, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { FieldIssue } from '@cdp/platform';
import { Db } from '@cdp/platform';
import { ChannelRegistry } from './channel.registry';
import { ChannelsModule } from './channels.module';
import { ChannelsService } from './channels.service';
import { ChannelPlugin, type ChannelAdapter, type ConfigResult } from './plugin/channel-adapter';
import { emptyConfig } from './plugin/config';

// A plugin as an outside team would write it: one adapter class and one module, nothing else touched.
@ChannelPlugin({ type: 'viber' })
@Injectable()
class ViberAdapter implements ChannelAdapter {
  readonly type: string = 'viber';
  readonly name = 'Viber';
  readonly sources = ['admin', 'organic'] as const;
  readonly identifier = { description: 'A Viber user id', example: 'viber-user-1' };
  validateConfig(raw: unknown): ConfigResult {
    return emptyConfig(raw);
  }
  normalizeIdentifier(raw: string): string {
    return raw.trim().toLowerCase();
  }
  validateIdentifier(id: string): FieldIssue[] {
    return /^viber-[a-z0-9-]+$/.test(id) ? [] : [{ field: 'identifier', code: 'invalid_identifier', message: 'not a viber id' }];
  }
}

@Module({ providers: [ViberAdapter] })
class ViberChannelModule {}

// The repository's database is never reached here.
@Global()
@Module({ providers: [{ provide: Db, useValue: {} }], exports: [Db] })
class NoDatabaseModule {}

const start = async (...plugins: Type[]) => {
  const ref = await Test.createTestingModule({ imports: [NoDatabaseModule, ChannelsModule, ...plugins] }).compile();
  return ref.init();
};

const BUILT_IN = ['qiscus', 'wa', 'line', 'fb', 'ig', 'telegram', 'tiktok', 'custom'];

describe('ChannelRegistry', () => {
  it('CH1: discovers the eight built-in channel types', async () => {
    const app = await start();
    expect(
      app
        .get(ChannelRegistry)
        .list()
        .map((a) => a.type),
    ).toEqual(BUILT_IN);
    await app.close();
  });

  it('discovers a plugin provided by a module of its own, and the service uses it', async () => {
    const app = await start(ViberChannelModule);
    const registry = app.get(ChannelRegistry);
    expect(registry.list().map((a) => a.type)).toEqual([...BUILT_IN, 'viber']);
    expect(registry.has('viber')).toBe(true);
    expect(registry.get('viber')).toBeInstanceOf(ViberAdapter);
    const service = app.get(ChannelsService);
    expect(service.types().find((t) => t.type === 'viber')).toEqual({
      type: 'viber',
      name: 'Viber',
      sources: ['admin', 'organic'],
      identifier: { description: 'A Viber user id', example: 'viber-user-1' },
    });
    expect(service.checkIdentifier({ type: 'viber', config: {} }, ' Viber-User-9 ')).toEqual({ identifier: 'viber-user-9' });
    // The guardrails run before the plugin's own rules.
    expect(() => service.checkIdentifier({ type: 'viber', config: {} }, 'guest')).toThrow(
      expect.objectContaining({ code: 'invalid_identifier' }),
    );
    expect(service.sourceAllowed('viber', 'ads')).toBe(false);
    await app.close();
  });

  it('answers an unknown type with a 422 on the field type', async () => {
    const app = await start();
    expect(app.get(ChannelRegistry).has('viber')).toBe(false);
    expect(() => app.get(ChannelRegistry).get('viber')).toThrow(
      expect.objectContaining({ code: 'validation_failed', kind: 'invalid', errors: [expect.objectContaining({ field: 'type' })] }),
    );
    await app.close();
  });

  it('refuses to start on a duplicate type', async () => {
    @ChannelPlugin({ type: 'wa' })
    @Injectable()
    class AnotherWhatsApp extends ViberAdapter {
      override readonly type = 'wa';
    }
    @Module({ providers: [AnotherWhatsApp] })
    class DuplicateModule {}
    await expect(start(DuplicateModule)).rejects.toThrow(/Duplicate channel type "wa"/);
  });

  it('refuses to start on a request-scoped adapter', async () => {
    @ChannelPlugin({ type: 'scoped' })
    @Injectable({ scope: Scope.REQUEST })
    class ScopedAdapter extends ViberAdapter {
      override readonly type = 'scoped';
    }
    @Module({ providers: [ScopedAdapter] })
    class ScopedModule {}
    await expect(start(ScopedModule)).rejects.toThrow(/must be a singleton/);
  });

  it('refuses to start on a transient adapter', async () => {
    @ChannelPlugin({ type: 'transient' })
    @Injectable({ scope: Scope.TRANSIENT })
    class TransientAdapter extends ViberAdapter {
      override readonly type = 'transient';
    }
    @Module({ providers: [TransientAdapter] })
    class TransientModule {}
    await expect(start(TransientModule)).rejects.toThrow(/must be a singleton/);
  });

  it('refuses to start when the type property and the decorator disagree', async () => {
    @ChannelPlugin({ type: 'kakao' })
    @Injectable()
    class MislabelledAdapter extends ViberAdapter {}
    @Module({ providers: [MislabelledAdapter] })
    class MislabelledModule {}
    await expect(start(MislabelledModule)).rejects.toThrow(/type property is "viber", not the decorator's "kakao"/);
  });

  it('CH4: refuses to start on an adapter without the admin and organic sources', async () => {
    @ChannelPlugin({ type: 'adsonly' })
    @Injectable()
    class AdsOnlyAdapter extends ViberAdapter {
      override readonly type = 'adsonly';
      override readonly sources = ['ads'] as never;
    }
    @Module({ providers: [AdsOnlyAdapter] })
    class AdsOnlyModule {}
    await expect(start(AdsOnlyModule)).rejects.toThrow(/sources must include admin, organic/);
  });

  it('refuses to start on an invalid type key', async () => {
    @ChannelPlugin({ type: 'Bad Type' })
    @Injectable()
    class BadKeyAdapter extends ViberAdapter {}
    @Module({ providers: [BadKeyAdapter] })
    class BadKeyModule {}
    await expect(start(BadKeyModule)).rejects.toThrow(/type "Bad Type" must match/);
  });
});
