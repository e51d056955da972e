import type en from '../en/api.js';
import type { Translation } from '../../translation.js';

const api: Translation<typeof en> = {};

export default api;
