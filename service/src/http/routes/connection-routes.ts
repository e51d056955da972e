import { Type } from 'typebox';
import { Connection, ConnectionInput, ConnectionTestResult } from '@shared/api/connections.js';
import type { ConnectionService } from '../../connections/connection-service.js';
import { actorOf } from './actor.js';
import type { TypedApp } from './typed-app.js';

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 63 }) });

const DOC =
  'A saved PostgreSQL or Kafka connection never holds a password: its `url` is credential-free or `env:VARIABLE`, read from the service\'s environment when used. Give `conn:NAME` wherever a PostgreSQL URL is taken (a postgres data source\'s `connection`, a SQL pull\'s `connection`). See docs/ingestion-sql.md.';

/** Saved connections: list, read, create, change, delete, test (docs/ingestion-sql.md#saved-connections). */
export function registerConnectionRoutes(app: TypedApp, connections: ConnectionService): void {
  const tags = ['Connections'];
  app.get('/api/connections/', { schema: { tags, summary: 'Saved connections, by name', description: DOC, response: { 200: Type.Array(Connection) } } }, () =>
    connections.list(),
  );
  app.get('/api/connections/:name', { schema: { tags, summary: 'A saved connection', params: NameParams, response: { 200: Connection } } }, (req) =>
    connections.get(req.params.name),
  );
  app.post(
    '/api/connections/',
    { schema: { tags, summary: 'Save a connection', description: DOC, body: ConnectionInput, response: { 201: Connection } } },
    async (req, reply) => reply.status(201).send(await connections.create(req.body, actorOf(req))),
  );
  app.put(
    '/api/connections/:name',
    { schema: { tags, summary: 'Change a saved connection (not its name)', description: DOC, params: NameParams, body: ConnectionInput, response: { 200: Connection } } },
    (req) => connections.update(req.params.name, req.body, actorOf(req)),
  );
  app.delete(
    '/api/connections/:name',
    {
      schema: {
        tags,
        summary: 'Delete a saved connection',
        description: 'Data sources made with `conn:NAME` keep the URL they were given and are not affected.',
        params: NameParams,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      await connections.delete(req.params.name, actorOf(req));
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/connections/:name/test',
    {
      schema: {
        tags,
        summary: 'Connect once and say what answered',
        description: 'PostgreSQL: `SELECT version()`; Kafka: the cluster description. 5 s at most. A failure is `ok: false` with the reason (secrets scrubbed), not an error.',
        params: NameParams,
        response: { 200: ConnectionTestResult },
      },
    },
    (req) => connections.test(req.params.name),
  );
}
