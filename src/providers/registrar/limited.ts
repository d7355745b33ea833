// Wraps a registrar so every API call first takes a token from the limiter shared by all processes (Namecheap limits per API user).
import type { RateLimiter } from '../limiter.ts';
import type { Registrar } from './index.ts';

export function limitedRegistrar(inner: Registrar, limiter: RateLimiter, perMinute: number): Registrar {
  const limited =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await limiter.take(`${inner.name}:api`, { perMinute });
      return call.apply(inner, args);
    };
  return {
    name: inner.name,
    check: limited(inner.check),
    create: limited(inner.create),
    setHosts: limited(inner.setHosts),
    getInfo: limited(inner.getInfo),
    findOwn: limited(inner.findOwn),
    readHosts: limited(inner.readHosts),
    writeHosts: limited(inner.writeHosts),
    getEmailForwarding: limited(inner.getEmailForwarding),
    setEmailForwarding: limited(inner.setEmailForwarding),
  };
}
