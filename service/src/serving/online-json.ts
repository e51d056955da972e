import { servedIsoOf } from '../util/time.js';
import { computedCell, isExpired, storedCell, type OnlineRead } from './online-read.js';

const NOT_FOUND_JSON = '{"value":null,"status":"NOT_FOUND","event_timestamp":null}';

/**
 * The JSON answer (an OnlineResponse) of a read, written as text directly: values are stored as
 * JSON text, so they go out without being parsed and serialised again (most of a request's CPU
 * time before this).
 */
export function onlineJson(read: OnlineRead): string {
  const { plan, keys, samples } = read;
  const { features, keyPrefixes } = plan;
  let json = plan.head;
  for (let k = 0; k < keys.length; k++) {
    json += `${k === 0 ? '' : ','}{"entity_key":${JSON.stringify(keys[k])},"features":{`;
    for (let i = 0; i < features.length; i++) {
      json += keyPrefixes[i]!;
      const onDemand = computedCell(read, k, i);
      if (onDemand) {
        json += JSON.stringify(onDemand);
        if (onDemand.status === 'PRESENT') samples?.[i]!.push(JSON.stringify(onDemand.value));
        continue;
      }
      const value = storedCell(read, k, i);
      if (!value) {
        json += NOT_FOUND_JSON;
        continue;
      }
      const expired = isExpired(read, i, value);
      // The stored text is what FStore wrote with JSON.stringify, so it is embedded as is.
      json += `{"value":${expired ? 'null' : value.json},"status":"${expired ? 'EXPIRED' : 'PRESENT'}","event_timestamp":"${servedIsoOf(value.eventTime)}"}`;
      if (!expired) samples?.[i]!.push(value.json);
    }
    json += '}}';
  }
  return `${json}]}`;
}
