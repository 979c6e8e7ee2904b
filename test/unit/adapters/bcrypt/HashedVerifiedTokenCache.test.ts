import { expect } from 'chai';
import { HashedVerifiedTokenCache } from '../../../../src/adapters/bcrypt/HashedVerifiedTokenCache.js';

const now = new Date('2026-12-01T12:00:00Z');
const later = (ms: number): Date => new Date(now.getTime() + ms);

describe('HashedVerifiedTokenCache', () => {
  it('hits for the same token and grant hash until the expiry, then misses', () => {
    const cache = new HashedVerifiedTokenCache(10);
    expect(cache.isVerified('token', 'hash-1', now)).to.equal(false);
    cache.remember('token', 'hash-1', later(60_000));
    expect(cache.isVerified('token', 'hash-1', later(59_999))).to.equal(true);
    expect(cache.isVerified('token', 'hash-1', later(60_000))).to.equal(false);
    expect(cache.size).to.equal(0);
  });

  it('misses after the grant changed (another hash) and for another token', () => {
    const cache = new HashedVerifiedTokenCache(10);
    cache.remember('token', 'hash-1', later(60_000));
    expect(cache.isVerified('token', 'hash-2', now)).to.equal(false);
    expect(cache.isVerified('other', 'hash-1', now)).to.equal(false);
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new HashedVerifiedTokenCache(2);
    cache.remember('a', 'h', later(60_000));
    cache.remember('b', 'h', later(60_000));
    expect(cache.isVerified('a', 'h', now)).to.equal(true);
    cache.remember('c', 'h', later(60_000));
    expect(cache.size).to.equal(2);
    expect(cache.isVerified('b', 'h', now)).to.equal(false);
    expect(cache.isVerified('a', 'h', now)).to.equal(true);
    expect(cache.isVerified('c', 'h', now)).to.equal(true);
  });

  it('never keeps the token in clear', () => {
    const cache = new HashedVerifiedTokenCache(2);
    const token = 'f'.repeat(64);
    cache.remember(token, '$2b$04$hash', later(60_000));
    const internals = JSON.stringify([...(cache as unknown as { entries: Map<string, number> }).entries.keys()]);
    expect(internals).to.not.include(token);
  });

  it('remembers nothing with size 0', () => {
    const cache = new HashedVerifiedTokenCache(0);
    cache.remember('a', 'h', later(60_000));
    expect(cache.isVerified('a', 'h', now)).to.equal(false);
  });
});
