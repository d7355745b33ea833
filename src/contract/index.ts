// The contract between the server and its clients: every route, as "METHOD /path", with what it takes and every answer it gives.
// The server registers each route with its entry here (a test checks that none is missing); the web imports the types only.
import type { z } from 'zod';
import { adminRoutes, monitoringRoutes } from './routes/admin.ts';
import { orderRoutes, pageRoutes, siteRoutes } from './routes/public.ts';
import { satisfactionRoutes } from './routes/satisfaction.ts';
import { invoiceRoutes } from './routes/invoices.ts';
import { accountPageRoutes, accountRoutes } from './routes/account.ts';
import { legalRoutes } from './routes/legal.ts';
import { renewalAdminRoutes } from './routes/renewals.ts';

export const routes = {
  ...orderRoutes,
  ...siteRoutes,
  ...satisfactionRoutes,
  ...invoiceRoutes,
  ...legalRoutes,
  ...accountRoutes,
  ...pageRoutes,
  ...accountPageRoutes,
  ...adminRoutes,
  ...monitoringRoutes,
  ...renewalAdminRoutes,
};

export type Routes = typeof routes;
export type RouteKey = keyof Routes;

type Part<R, P extends string> = R extends { [K in P]: infer S extends z.ZodType } ? z.input<S> : undefined;
/** The path parameters of a route (`:token` → `{token}`), as the client sends them. */
export type Params<K extends RouteKey> = Part<Routes[K], 'params'>;
/** Its query string. */
export type Query<K extends RouteKey> = Part<Routes[K], 'querystring'>;
/** Its JSON body. */
export type Body<K extends RouteKey> = Part<Routes[K], 'body'>;

type Success = 200 | 201 | 202 | 204;
type Responses<K extends RouteKey> = Routes[K]['response'];
/** What a route answers when it succeeds, as the client receives it (JSON routes; a page or a file is not JSON). */
export type Answer<K extends RouteKey> = {
  [S in keyof Responses<K>]: S extends Success ? (Responses<K>[S] extends z.ZodType ? z.input<Responses<K>[S]> : never) : never;
}[keyof Responses<K>];

/** The routes whose answer is JSON. */
export type JsonRoute = { [K in RouteKey]: [Answer<K>] extends [never] ? never : K }[RouteKey];
