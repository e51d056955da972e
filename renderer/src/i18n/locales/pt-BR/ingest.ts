import type en from '../en/ingest.js';
import type { Translation } from '../../translation.js';

const ingest: Translation<typeof en> = {};

export default ingest;
