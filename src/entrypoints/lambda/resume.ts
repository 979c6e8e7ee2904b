import { loadConfig } from '../config/loadConfig.js';
import { composeResumeFunction } from './compose/resume.js';
import { createResumeHandler } from './handlers/resume.js';

/** Lambda entry point: configuration read and the function composed once per execution environment (module scope). */
export const handler = createResumeHandler(composeResumeFunction(loadConfig(process.env)));
