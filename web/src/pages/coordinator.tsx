import type { Route } from '../router.tsx';
export default function Coordinator({ route }: { route: Route }) {
  return <h1 id="main-heading" tabIndex={-1}>{route.page}</h1>;
}
