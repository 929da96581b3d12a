import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.e2e-artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always'],
      // node:test runs top-level test()/describe() itself; the promise they return is not ours to await.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      curly: ['error', 'all'],
      'max-lines-per-function': ['warn', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // These packages keep tests out of the build tsconfig.json, which is all the project service looks for;
    // their tsconfig.test.json covers sources and tests alike.
    files: ['packages/{client,signaling,peerjs,sfu,stun,turn}/src/**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: [
          'packages/client/tsconfig.test.json',
          'packages/signaling/tsconfig.test.json',
          'packages/peerjs/tsconfig.test.json',
          'packages/sfu/tsconfig.test.json',
          'packages/stun/tsconfig.test.json',
          'packages/turn/tsconfig.test.json',
        ],
      },
    },
  },
  {
    files: ['scripts/**', 'bench/**', 'e2e/**', 'apps/server/bin/**', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // A test's body is a script of steps; splitting it only to satisfy a length limit hides the story.
    files: ['**/*.test.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    // Plain JavaScript (bin launchers, scripts, this file) is in no tsconfig: lint it without type information.
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
);
