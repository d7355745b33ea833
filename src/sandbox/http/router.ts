// Routes written as the providers' API references write them: a method and a path template such as /v1/refunds/{id}.
//   {name}   one non-empty path segment
//   {name*}  the rest of the path, one segment or more, joined by "/"

export interface Match<R> {
  route: R;
  params: Record<string, string>;
}

interface Entry<R> {
  method: string;
  parts: string[];
  route: R;
}

export class Router<R> {
  private readonly entries: Entry<R>[] = [];

  /** `decode` turns a raw path segment into a parameter's value (Netlify percent-decodes; Stripe and PayPal take ids as sent). */
  constructor(private readonly decode: (segment: string) => string = (s) => s) {}

  add(method: string, template: string, route: R): this {
    this.entries.push({ method, parts: template.split('/').slice(1), route });
    return this;
  }

  /** The first route whose method and template match, with its parameters. */
  find(method: string, path: string): Match<R> | undefined {
    const segments = path.split('/').slice(1);
    for (const entry of this.entries) {
      if (entry.method !== method) continue;
      const params = this.match(entry.parts, segments);
      if (params) return { route: entry.route, params };
    }
    return undefined;
  }

  private match(parts: string[], segments: string[]): Record<string, string> | undefined {
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const rest = /^\{(\w+)\*\}$/.exec(part);
      if (rest) {
        const tail = segments.slice(i);
        if (tail.length === 0 || tail.every((s) => s === '')) return undefined;
        params[rest[1]] = tail.map(this.decode).join('/');
        return params;
      }
      const segment = segments[i];
      if (segment === undefined) return undefined;
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name) {
        if (segment === '') return undefined;
        params[name] = this.decode(segment);
      } else if (part !== segment) return undefined;
    }
    return parts.length === segments.length ? params : undefined;
  }
}
