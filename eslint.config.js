// Lint: typescript-eslint strict plus the layering rules of docs/ARCHITECTURE.md.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const layer = (files, patterns) => ({files, rules: {'no-restricted-imports': ['error', {patterns}]}})

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'coverage/', 'examples/', '.scratch/', '.bench/', 'test/fixtures/', 'test/golden/']},
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        NodeJS: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      'no-control-regex': 'off',
    },
  },
  // Layering: who may import what (see docs/ARCHITECTURE.md).
  layer(
    ['src/**/*.ts'],
    [
      {group: ['**/commands/**', '../commands/*', '../../commands/*'], message: 'src/ never imports commands/.'},
      ...[
        ['better-sqlite3', 'src/workspace/'],
        ['@aws-sdk/*', 'src/aws/'],
        ['systeminformation', 'src/collect/'],
      ].map(([g, where]) => ({group: [g], message: `Only ${where} may import ${g}.`})),
    ],
  ),
  {
    files: ['src/workspace/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {patterns: [{group: ['@aws-sdk/*', 'systeminformation'], message: 'Layering: see docs/ARCHITECTURE.md.'}]},
      ],
    },
  },
  {
    files: ['src/aws/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {patterns: [{group: ['better-sqlite3', 'systeminformation'], message: 'Layering: see docs/ARCHITECTURE.md.'}]},
      ],
    },
  },
  {
    files: ['src/collect/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {patterns: [{group: ['better-sqlite3', '@aws-sdk/*'], message: 'Layering: see docs/ARCHITECTURE.md.'}]},
      ],
    },
  },
  layer(
    ['commands/**/*.ts'],
    [{group: ['better-sqlite3', '@aws-sdk/*', 'systeminformation'], message: 'Commands call src/; drivers and SDKs stay in their layer.'}],
  ),
  {
    files: ['test/**/*.ts', 'bench/**/*.js', 'scripts/**/*.{js,ts}', 'bin/**/*.js', '*.config.{js,ts}'],
    rules: {'no-restricted-imports': 'off', '@typescript-eslint/no-explicit-any': 'off'},
  },
)
