import { ApplyResult, DefinitionBundle, DefinitionPlan, DefinitionRequest } from '@shared/api/definitions.js';
import type { AppContext } from '../../app-context.js';
import { actorOf } from './actor.js';
import type { TypedApp } from './typed-app.js';

const tags = ['Definitions'];

/** Definitions as code: export, plan and apply bundles of registry definitions (`fstore export|plan|apply`). */
export function registerDefinitionRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/api/definitions/export',
    {
      schema: {
        tags,
        summary: 'The authored registry as a bundle (what `fstore export` writes as YAML files)',
        description: 'Active entities, feature groups, features, data sources and transforms, definition fields only. Groups and features computed by a transform are left out: the transform defines them.',
        response: { 200: DefinitionBundle },
      },
    },
    () => ctx.definitions.export(),
  );
  app.post(
    '/api/definitions/plan',
    {
      schema: {
        tags,
        summary: 'What applying a bundle would change (nothing is written)',
        description: 'Per object: create, update, restore, unchanged, or — for registry objects the bundle does not list — not_listed (kept) or archive (with prune); field-level changes, whether it breaks consumers and why, what depends on it, and which transforms must run again. Naming hints come as warnings.',
        body: DefinitionRequest,
        response: { 200: DefinitionPlan },
      },
    },
    (req) => ctx.definitions.plan(req.body.bundle, req.body.prune ?? false),
  );
  app.post(
    '/api/definitions/apply',
    {
      schema: {
        tags,
        summary: 'Apply a bundle: every change becomes a new version (audited)',
        body: DefinitionRequest,
        response: { 200: ApplyResult },
      },
    },
    (req) => ctx.definitions.apply(req.body.bundle, req.body.prune ?? false, actorOf(req)),
  );
}
