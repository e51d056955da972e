/** The seed's example feature, used in hints that show how to create one through the REST API. */
export const SEED_FEATURE = {
  name: 'usuario_idade',
  description: 'Idade do usuário',
  feature_type: 'NUMERIC',
  value_type: 'INT',
  entity: 'usuario',
  tags: ['demografia', 'basico'],
} as const;

export function seedCurlCommand(baseUrl: string): string {
  const body = JSON.stringify(SEED_FEATURE, null, 2)
    .replace(/\[\n\s+([^\]]*?)\n\s+\]/g, (_match, items: string) => `[${items.split(/,\n\s+/).join(', ')}]`)
    .replace(/\n/g, '\n  ');
  return [
    `curl -X POST ${baseUrl.replace(/\/+$/, '')}/api/features/ \\`,
    `  -H 'content-type: application/json' \\`,
    `  -d '${body}'`,
  ].join('\n');
}
