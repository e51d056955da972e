import { ARROW_STREAM_MEDIA_TYPE } from '../../serving/online-arrow.js';

/**
 * Whether an `Accept` header asks for the Arrow IPC stream over JSON: the Arrow type named with a
 * q above 0 and at least JSON's (`application/json`, else `application/*`, else `*\/*`; 0 when none
 * of them is named). Everything else — no header, `*\/*`, `application/json`, a type the route
 * cannot produce — gets JSON, the default. Headers that do not mention Arrow are not parsed.
 */
export function prefersArrowStream(accept: string | undefined): boolean {
  if (accept === undefined || !/arrow/i.test(accept)) return false;
  let arrow = 0;
  let json = -1;
  let application = -1;
  let any = -1;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.split(';');
    let q = 1;
    for (const param of params) {
      const [name = '', value = ''] = param.split('=');
      if (name.trim().toLowerCase() !== 'q') continue;
      const parsed = Number(value.trim());
      q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 1;
    }
    switch (range.trim().toLowerCase()) {
      case ARROW_STREAM_MEDIA_TYPE:
        arrow = Math.max(arrow, q);
        break;
      case 'application/json':
        json = Math.max(json, q);
        break;
      case 'application/*':
        application = Math.max(application, q);
        break;
      case '*/*':
        any = Math.max(any, q);
        break;
    }
  }
  const jsonQ = json >= 0 ? json : application >= 0 ? application : Math.max(any, 0);
  return arrow > 0 && arrow >= jsonQ;
}
