/**
 * The features a serving or training request names: `feature_list` within `entity`, or a feature
 * service's features. Exactly one of the two; every mistake is a 4xx that names it, before any read.
 */
import type { Selected } from '@shared/api/serving.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryService } from '../registry/registry-service.js';

export interface SelectionRequest {
  entity?: string | undefined;
  feature_list?: string[] | undefined;
  feature_service?: string | undefined;
}

/** The request with `entity` and `feature_list` filled in (from the service when it names one). */
export async function selectFeatures<T extends SelectionRequest>(registry: RegistryService, request: T): Promise<Selected<T>> {
  const { feature_service: serviceName, ...rest } = request;
  if (serviceName === undefined) {
    if (request.feature_list === undefined) {
      throw invalid('/feature_list', 'Name the features: feature_list (feature names) or feature_service (a feature service)');
    }
    if (request.entity === undefined) throw invalid('/entity', 'entity is required with feature_list');
    return { ...rest, entity: request.entity, feature_list: request.feature_list } as Selected<T>;
  }
  if (request.feature_list !== undefined) {
    throw invalid('/feature_service', `Give feature_list or feature_service, not both (feature_service '${serviceName}' already names its features)`);
  }
  const service = await registry.servingFeatureService(serviceName);
  if (!service) throw new AppError('FSTORE_FEATURE_SERVICE_NOT_FOUND', `Feature service '${serviceName}' does not exist`);
  if (service.status === 'archived') {
    throw new AppError('FSTORE_ARCHIVED', `Feature service '${serviceName}' is archived; restore it (POST /api/feature-services/${serviceName}/restore) to serve it`);
  }
  if (request.entity !== undefined && request.entity !== service.entity) {
    throw invalid('/entity', `Feature service '${serviceName}' serves entity '${service.entity}', not '${request.entity}'`);
  }
  // A feature archived or moved to another entity since the service was saved (another replica may
  // have let it through): say which service names it, not only that the name is unknown.
  const { features } = await registry.servingIndex(service.entity);
  const gone = service.features.filter((f) => !features.has(f));
  if (gone.length > 0) {
    throw new AppError(
      'FSTORE_FEATURE_NOT_FOUND',
      `Feature service '${serviceName}' names ${gone.map((g) => `'${g}'`).join(', ')}, no longer an active feature of entity '${service.entity}'; update the service (PUT /api/feature-services/${serviceName})`,
      { missing: gone, feature_service: serviceName },
    );
  }
  return { ...rest, entity: service.entity, feature_list: service.features } as Selected<T>;
}

function invalid(path: string, message: string): AppError {
  return new AppError('FSTORE_VALIDATION_FAILED', message, [{ path, message }]);
}
