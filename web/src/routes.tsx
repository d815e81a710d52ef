import { lazy, type ComponentType, type LazyExoticComponent } from 'react'
import type { IconName } from './components/Icon'

export interface NavEntry {
  /** The URL segment; the page gets every path under it (`/customers/*`) and routes them itself. */
  readonly path: string
  /** A key in `common.json` (`nav.<name>`). */
  readonly labelKey: string
  readonly icon?: IconName
  readonly element: LazyExoticComponent<ComponentType>
}

type PageModule = { default: ComponentType }
const loaders = new Map<LazyExoticComponent<ComponentType>, () => Promise<PageModule>>()

/** `lazy()` that can also be started early (see {@link preloadPage}). */
function page(load: () => Promise<PageModule>): LazyExoticComponent<ComponentType> {
  const component = lazy(load)
  loaders.set(component, load)
  return component
}

/**
 * The console's pages, in side-nav order. Each page is its own chunk (`lazy`), lives in
 * `pages/<name>/index.tsx` (default export), owns `locales/<lng>/<name>.json`, and declares its sub-routes
 * with a nested `<Routes>` (e.g. `customers/:id`).
 */
export const NAV: readonly NavEntry[] = [
  { path: 'inbox', labelKey: 'nav.inbox', icon: 'inbox', element: page(() => import('./pages/inbox')) },
  {
    path: 'customers',
    labelKey: 'nav.customers',
    icon: 'customers',
    element: page(() => import('./pages/customers')),
  },
  {
    path: 'knowledge',
    labelKey: 'nav.knowledge',
    icon: 'knowledge',
    element: page(() => import('./pages/knowledge')),
  },
  {
    path: 'workflows',
    labelKey: 'nav.workflows',
    icon: 'workflows',
    element: page(() => import('./pages/workflows')),
  },
  { path: 'models', labelKey: 'nav.models', icon: 'models', element: page(() => import('./pages/models')) },
  {
    path: 'dashboard',
    labelKey: 'nav.dashboard',
    icon: 'dashboard',
    element: page(() => import('./pages/dashboard')),
  },
  {
    path: 'settings',
    labelKey: 'nav.settings',
    icon: 'settings',
    element: page(() => import('./pages/settings')),
  },
]

/** Where `/` and the sign-in form lead. */
export const HOME = '/inbox'

/** Starts loading the code of the page at `pathname` (the browser caches the module; lazy() reuses it). */
export function preloadPage(pathname: string): void {
  const segment = pathname.split('/')[1] || HOME.slice(1)
  const entry = NAV.find((candidate) => candidate.path === segment)
  if (entry) void loaders.get(entry.element)?.()
}
