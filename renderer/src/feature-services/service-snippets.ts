/** How a model asks for a feature service's values: Python SDK and REST, ready to copy. */
import type { FeatureService } from '@shared/domain/schemas.js';

export interface ServiceSnippet {
  label: string;
  code: string;
}

export function serviceSnippets(service: Pick<FeatureService, 'name' | 'entity'>, baseUrl: string): ServiceSnippet[] {
  const name = JSON.stringify(service.name);
  const key = JSON.stringify(`${service.entity}_1`);
  return [
    {
      label: 'Python',
      code: [
        'from fstore import FStoreClient',
        '',
        `client = FStoreClient(${JSON.stringify(baseUrl)})`,
        `online = client.get_online_features(`,
        `    entity_keys=[${key}], feature_service=${name}`,
        ')',
        '# labels: a DataFrame of entity_key, timestamp and label columns',
        `train = client.get_historical_features(`,
        `    entity_df=labels, feature_service=${name}`,
        ')',
      ].join('\n'),
    },
    {
      label: 'REST',
      code: [
        `curl -s ${baseUrl}/api/online/features \\`,
        "  -H 'content-type: application/json' \\",
        `  -d '{"feature_service": ${name}, "entity_keys": [${key}]}'`,
      ].join('\n'),
    },
  ];
}
