import type en from '../en/registry.js';
import type { Translation } from '../../translation.js';

const registry: Translation<typeof en> = {};

export default registry;
