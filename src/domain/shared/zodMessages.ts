import { config } from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';

// zod/mini loads no locale, and a Lambda bundle without classic zod would answer "Invalid input" to
// everything hermes did not word itself; classic zod does the same at import, so this changes nothing where both are loaded.
config(en());
