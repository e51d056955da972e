import type en from '../en/jobs.js';
import type { Translation } from '../../translation.js';

const jobs: Translation<typeof en> = {};

export default jobs;
