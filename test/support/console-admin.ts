/** The admin every console suite signs in as (created in the template database). */
export const CONSOLE_ADMIN = {
  email: 'lead@example.com',
  password: 'a long passphrase',
  name: 'Lin Lead',
} as const
