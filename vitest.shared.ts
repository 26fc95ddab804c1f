import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Resolve workspace packages from their TypeScript sources (the "@tidings/source" export
 * condition), so tests never need a build. Listing conditions replaces Vite's defaults, hence the
 * ones after ours.
 */
export const sourceConditions = ['@tidings/source', 'module', 'node', 'development|production'];

/** The vitest project of one workspace package. Project config files do not inherit the root's. */
export function tidingsProject(name: string, test: UserWorkspaceConfig['test'] = {}): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions } },
    test: { name, ...test },
  });
}
