import { disabledSourcesMessage, normalizeSources, sourceOptions, type SourceCatalogue } from './source-rules';

// A catalogue as the adapters declare it: only "wa" (named WhatsApp) allows ads and broadcast.
const catalogue: SourceCatalogue = {
  types: ['qiscus', 'wa', 'line'],
  allows: (type, source) => ['admin', 'organic'].includes(source) || (type === 'wa' && ['ads', 'broadcast'].includes(source)),
  typeNamesAllowing: (source) => (['ads', 'broadcast'].includes(source) ? ['WhatsApp'] : ['Qiscus', 'WhatsApp', 'LINE']),
};
const enabled = (types: string[]) => Object.fromEntries(sourceOptions(types, catalogue).map((o) => [o.source, o.enabled]));

describe('source rules (C7)', () => {
  it('C7: ads and broadcast are enabled only when every selected channel type allows them', () => {
    expect(enabled(['wa'])).toEqual({ admin: true, ads: true, organic: true, broadcast: true });
    expect(enabled(['wa', 'wa'])).toEqual({ admin: true, ads: true, organic: true, broadcast: true });
    expect(enabled(['wa', 'line'])).toEqual({ admin: true, ads: false, organic: true, broadcast: false });
    expect(enabled([])).toEqual({ admin: true, ads: false, organic: true, broadcast: false });
  });

  it('C7: normalising drops disabled sources; [ads] becomes [] (All), [ads, organic] becomes [organic]', () => {
    const off = sourceOptions(['line'], catalogue);
    const a = normalizeSources(['ads'], off, catalogue);
    expect(a.sources).toEqual([]);
    expect(a.changes).toEqual([
      'Ads is available only when every selected channel is WhatsApp: removed from the source filter; the source filter is back to All.',
    ]);
    const b = normalizeSources(['ads', 'organic', 'broadcast'], off, catalogue);
    expect(b.sources).toEqual(['organic']);
    expect(b.changes[0]).toMatch(/^Ads and Broadcast are available only when every selected channel is WhatsApp/);
    expect(normalizeSources(['ads'], sourceOptions(['wa'], catalogue), catalogue)).toEqual({ sources: ['ads'], changes: [] });
  });

  it('names the channel types that allow a source', () => {
    expect(disabledSourcesMessage(['broadcast'], catalogue)).toBe('Broadcast is available only when every selected channel is WhatsApp');
  });
});
