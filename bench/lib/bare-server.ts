// The reference server: a bare Fastify route on the same machine (JSON body in, small JSON out), nothing else.
// node --import tsx bench/lib/bare-server.ts <port>
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 512 * 1024 });
app.post('/bare', async (req) => ({ ok: true, bytes: JSON.stringify(req.body).length }));
await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
process.stdout.write('listening\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
