// Wraps a registrar so every API call first takes a token from the limiter shared by all processes (Namecheap limits per API user).
import type { RateLimiter } from '../limiter.ts';
import type { Registrar } from './index.ts';

export function limitedRegistrar(inner: Registrar, limiter: RateLimiter, perMinute: number): Registrar {
  const take = () => limiter.take(`${inner.name}:api`, { perMinute });
  return {
    name: inner.name,
    check: async (domains, signal) => {
      await take();
      return inner.check(domains, signal);
    },
    create: async (input) => {
      await take();
      return inner.create(input);
    },
    setHosts: async (domain, records) => {
      await take();
      return inner.setHosts(domain, records);
    },
    getInfo: async (domain) => {
      await take();
      return inner.getInfo(domain);
    },
    findOwn: async (domain) => {
      await take();
      return inner.findOwn(domain);
    },
  };
}
