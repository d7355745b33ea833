// Availability: is a domain name free to register? Sources are tried in order (RDAP, whois, registrar check).

export type AvailabilitySourceName = 'rdap' | 'whois' | 'registrar';

export interface AvailabilityAnswer {
  domain: string;
  available: boolean;
  source: AvailabilitySourceName;
}

/** One way of answering. Throws ProviderError when it cannot answer (the next source is tried). */
export interface AvailabilitySource {
  readonly name: AvailabilitySourceName;
  /** true when this source can answer for the TLD at all (RDAP: the bootstrap file lists a server) */
  supports(tld: string): boolean;
  check(domain: string, signal?: AbortSignal): Promise<AvailabilityAnswer>;
}
