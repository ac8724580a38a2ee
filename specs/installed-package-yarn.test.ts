/**
 * schemabench installed with yarn into a project of its own: the common specs
 * (helpers/installed-project.ts), with yarn 1.
 */
import { describeInstalled } from './helpers/installed-project.ts';

describeInstalled('yarn');
