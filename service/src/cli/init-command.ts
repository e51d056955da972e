/**
 * `fstore init [dir]`: a project to start from, as `feast init` gives one. Definitions as code (an
 * entity, a feature group and its features, the seed's `usuario` example), sample data to ingest, a
 * label file for a point-in-time training set, and a README with the commands in order.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { DefinitionBundle } from '@shared/api/definitions.js';
import { writeDefinitions } from './definitions-folder.js';

const BUNDLE: DefinitionBundle = {
  entities: [{ name: 'usuario', join_key: 'usuario_id', description: 'Usuário da plataforma' }],
  feature_groups: [{ name: 'demografia', entity: 'usuario', description: 'Dados cadastrais do usuário', ttl_seconds: 90 * 24 * 3600, online: true }],
  features: [
    { name: 'usuario_idade', entity: 'usuario', feature_group: 'demografia', value_type: 'INT', description: 'Idade do usuário', tags: ['demografia', 'basico'] },
    { name: 'usuario_renda', entity: 'usuario', feature_group: 'demografia', value_type: 'FLOAT', description: 'Renda mensal declarada (R$)', tags: ['demografia'] },
    { name: 'usuario_cidade', entity: 'usuario', feature_group: 'demografia', value_type: 'STRING', description: 'Cidade de residência', tags: ['demografia'] },
  ],
};

const SAMPLE_ROWS = `usuario_id,event_timestamp,usuario_idade,usuario_renda,usuario_cidade
user_123,2025-01-10T10:00:00Z,25,4200.50,São Paulo
user_456,2025-01-11T09:30:00Z,31,6100.00,Recife
user_789,2025-01-12T14:00:00Z,42,8800.75,Porto Alegre
user_123,2025-02-01T08:00:00Z,25,5100.00,Campinas
`;

/** Label rows for a training set: each gets the features as known at its timestamp. */
const SAMPLE_LABELS = `entity_key,timestamp,comprou
user_123,2025-01-20T00:00:00Z,0
user_123,2025-02-15T00:00:00Z,1
user_456,2025-01-05T00:00:00Z,0
user_789,2025-02-15T00:00:00Z,1
`;

const README = `# An FStore project

Made by \`fstore init\`. The registry is described as code in \`definitions/\` (an entity, a feature
group and its features, one YAML file each); \`data/\` holds sample rows and label rows.

\`\`\`bash
fstore serve --data-dir .fstore-data                 # the service on http://127.0.0.1:8000 (web UI, /docs)
fstore plan definitions                              # what applying the folder would change
fstore apply definitions                             # create the entity, group and features
fstore ingest data/dados_usuarios.csv -e usuario -g demografia
fstore online -e usuario -k user_123,user_456 -f idade,renda,cidade
fstore training -e usuario -f idade,renda,cidade --labels data/labels.csv -o treino.parquet
\`\`\`

\`treino.parquet\` has one row per label row, each feature as of the label's timestamp: user_123's
label of 2025-01-20 sees São Paulo, the one of 2025-02-15 sees Campinas; user_456's label comes
before any of its values, so its features are empty.

From Python (\`pip install fstore-sdk\`):

\`\`\`python
import pandas as pd
from fstore.client import FStoreClient

client = FStoreClient("http://localhost:8000")
client.ingest_batch(entity="usuario", feature_group="demografia", dataframe=pd.read_csv("data/dados_usuarios.csv"))
client.get_online_features(entity="usuario", entity_keys=["user_123", "user_456"], feature_list=["usuario_idade"])
\`\`\`

Edit the YAML files and run \`fstore plan definitions\` again to see each change before applying it.
`;

/** The files `init` writes, relative to the project folder (definitions are added by writeDefinitions). */
const FILES: Record<string, string> = {
  'data/dados_usuarios.csv': SAMPLE_ROWS,
  'data/labels.csv': SAMPLE_LABELS,
  'README.md': README,
  '.gitignore': '.fstore-data/\n*.parquet\n',
};

/** Writes the project into `dir`; refuses to overwrite any file unless `force`. Answers the files written. */
export function initProject(dir: string, force = false): string[] {
  const root = resolve(dir);
  const definitionFiles = ['definitions/entities/usuario.yaml', 'definitions/feature_groups/demografia.yaml', ...(BUNDLE.features ?? []).map((f) => `definitions/features/${String(f['name'])}.yaml`)];
  const existing = [...Object.keys(FILES), ...definitionFiles].filter((f) => existsSync(join(root, f)));
  if (existing.length > 0 && !force) {
    throw new Error(`${root} already has ${existing.join(', ')}; choose an empty folder, or add --force to overwrite them`);
  }
  mkdirSync(join(root, 'data'), { recursive: true });
  for (const [file, text] of Object.entries(FILES)) writeFileSync(join(root, file), text);
  const written = writeDefinitions(join(root, 'definitions'), BUNDLE).map((f) => `definitions/${f}`);
  return [...written, ...Object.keys(FILES)];
}

export function registerInitCommand(program: Command): void {
  program
    .command('init [dir]')
    .description('Start a project: definitions as code, sample data, label rows and a README with the next commands')
    .option('--force', 'overwrite files of a previous init')
    .action((dir: string | undefined, opts: { force?: boolean }) => {
      const files = initProject(dir ?? '.', opts.force ?? false);
      process.stdout.write(`Created in ${resolve(dir ?? '.')}:\n${files.map((f) => `  ${f}`).join('\n')}\nNext: see README.md (fstore serve, then fstore apply definitions).\n`);
    });
}
