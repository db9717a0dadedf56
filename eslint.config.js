// Lint, with the import boundaries from STYLE.md:
// core never imports electron; the renderer never imports main code or Node;
// shared code imports neither Node nor the DOM; the preload reaches only electron and shared.
import js from '@eslint/js'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import ts from 'typescript-eslint'

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'net', 'child_process', 'stream', 'util', 'url', 'http', 'https', 'events', 'worker_threads', 'tty', 'readline']

export default ts.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '**/pb/*.ts', 'scratch/**', 'test-results/**'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['error'] }]
    }
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { project: ['./tsconfig.json', './tsconfig.web.json', './tsconfig.e2e.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error'
    }
  },
  {
    files: ['src/main/core/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'electron/*'], message: 'core runs in plain Node: it never imports electron' },
        { group: ['**/app/**', '**/cli/**', '**/preload/**', '**/renderer/**'], message: 'core does not depend on its front ends' }
      ] }]
    }
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'electron/*', ...NODE_BUILTINS], message: 'shared code imports neither Node nor electron' },
        { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'shared code depends on nothing else in the app' }
      ] }]
    }
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'electron/*', ...NODE_BUILTINS], message: 'the renderer is a sandboxed web page' },
        { group: ['**/main/**', '**/preload/**'], message: 'the renderer reaches the core only through the typed client' }
      ] }]
    }
  },
  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...NODE_BUILTINS], message: 'a sandboxed preload has no Node modules' },
        { group: ['**/main/**', '**/renderer/**'], message: 'the preload reaches only electron and the shared contract' }
      ] }]
    }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
    rules: {
      // State holds plain collections replaced whole ($state.raw), never mutated in place.
      'svelte/prefer-svelte-reactivity': 'off'
    }
  }
)
