// The waiting period before a name may change registrar, per TLD: ICANN's 60 days for a gTLD, counted from the later of
// its registration and its last change of registrant; none for the ccTLDs whose registries set none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transferableFrom, transferWaitRule } from '../../src/domain/transfer-rules.ts';

const DAY = 86_400_000;
const now = new Date('2026-12-07T12:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * DAY);

test('a gTLD waits 60 days from its registration, then may leave', () => {
  assert.equal(transferableFrom('com', { registeredAt: ago(10) }, now)?.toISOString(), new Date(ago(10).getTime() + 60 * DAY).toISOString());
  assert.equal(transferableFrom('com', { registeredAt: ago(60) }, now), null, 'the 60th day is the first it may leave');
  assert.equal(transferableFrom('shop', { registeredAt: ago(61) }, now), null);
});

test('a change of registrant restarts the wait: the later of the two dates counts', () => {
  const from = transferableFrom('org', { registeredAt: ago(400), registrantChangedAt: ago(5) }, now);
  assert.equal(from?.toISOString(), new Date(ago(5).getTime() + 60 * DAY).toISOString());
  assert.equal(transferableFrom('net', { registeredAt: ago(30), registrantChangedAt: ago(100) }, now)?.getTime(), ago(30).getTime() + 60 * DAY);
});

test('.fr, .eu, .de and .co.uk registries set no waiting period; a ccTLD with no rule written gets none invented', () => {
  for (const tld of ['fr', 'eu', 'de', 'co.uk', 'io']) {
    assert.equal(transferWaitRule(tld), null, tld);
    assert.equal(transferableFrom(tld, { registeredAt: ago(1), registrantChangedAt: ago(1) }, now), null, tld);
  }
  assert.match(transferWaitRule('com')!.source, /ICANN Transfer Policy I\.A\.3\.7 and II\.C\.2/);
});

test('no date known: nothing to wait for', () => {
  assert.equal(transferableFrom('com', {}, now), null);
  assert.equal(transferableFrom('com', { registeredAt: new Date('invalid') }, now), null);
});
