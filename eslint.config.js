import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/**', '.agentcrm/**', 'web/dist/**', 'dist/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'read configuration through loadConfig (src/core/config.ts)',
        },
      ],
    },
  },
  {
    files: [
      'src/core/config.ts',
      'src/cli/**',
      'test/**',
      'bench/**',
      '**/*.test.ts',
      '*.config.ts',
      'bin/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
)
