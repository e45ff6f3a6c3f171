import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { LocationProvider, Router, Route, lazy, ErrorBoundary, useLocation } from "preact-iso";
import { onAuthStateChanged, signOut, type User } from "firebase/auth";
import { connectBackend, errorText, type Backend } from "./firebase";
import { SessionContext, useHousehold, useSession, type Session } from "./data";
import { SignIn } from "./screens/SignIn";
import { Library } from "./screens/Library";
import "./style.css";

// The library is the first screen; every other screen is its own chunk, loaded when opened.
const Show = lazy(() => import("./screens/Show").then((m) => m.Show));
const Continue = lazy(() => import("./screens/Continue").then((m) => m.Continue));
const Calendar = lazy(() => import("./screens/Calendar").then((m) => m.Calendar));
const MoveIn = lazy(() => import("./screens/MoveIn").then((m) => m.MoveIn));
const Household = lazy(() => import("./screens/Household").then((m) => m.Household));
const Friends = lazy(() => import("./screens/Friends").then((m) => m.Friends));
const Settings = lazy(() => import("./screens/Settings").then((m) => m.Settings));

const NAV: Array<[path: string, label: string]> = [
  ["/", "Library"],
  ["/continue", "Continue watching"],
  ["/calendar", "Calendar"],
  ["/move-in", "Move in"],
  ["/household", "Household"],
  ["/friends", "Friends"],
  ["/settings", "Settings"],
];

/** Whose data the screens show, when it is a managed profile of the household (§9). */
function ProfileBadge() {
  const session = useSession();
  const household = useHousehold();
  const name = household.profiles.find((p) => p.profileId === session.profileId)?.name ?? session.profileId;
  return <strong>Profile: {name} · </strong>;
}

function Nav({ session }: { session: Session }) {
  const { path } = useLocation();
  return (
    <header class="top">
      <a class="brand" href="/">
        TV tracker
      </a>
      <nav aria-label="Main">
        {NAV.map(([href, label]) => (
          <a href={href} aria-current={path === href ? "page" : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <span class="who">
        {session.profileId !== session.user.uid ? <ProfileBadge /> : null}
        {session.user.isAnonymous ? "Guest" : session.user.email}{" "}
        <button type="button" class="link" onClick={() => void signOut(session.backend.auth)}>
          Sign out
        </button>
      </span>
    </header>
  );
}

function SignedIn({ backend, user }: { backend: Backend; user: User }) {
  // The active profile (§9) survives a reload of this tab.
  const key = `tvtracker.profile.${user.uid}`;
  const [profileId, setProfile] = useState(() => sessionStorage.getItem(key) ?? user.uid);
  const setProfileId = (id: string) => {
    sessionStorage.setItem(key, id);
    setProfile(id);
  };
  const session = useMemo<Session>(() => ({ backend, user, profileId, setProfileId }), [backend, user, profileId]);
  return (
    <SessionContext.Provider value={session}>
      <LocationProvider>
        <Nav session={session} />
        <main>
          <ErrorBoundary>
            <Router>
              <Route path="/" component={Library} />
              <Route path="/show/:id" component={Show} />
              <Route path="/continue" component={Continue} />
              <Route path="/calendar" component={Calendar} />
              <Route path="/move-in" component={MoveIn} />
              <Route path="/household" component={Household} />
              <Route path="/friends" component={Friends} />
              <Route path="/friends/:conversationId" component={Friends} />
              <Route path="/settings" component={Settings} />
              <Route default component={Library} />
            </Router>
          </ErrorBoundary>
        </main>
      </LocationProvider>
    </SessionContext.Provider>
  );
}

function App() {
  const [backend, setBackend] = useState<Backend | null>(null);
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    connectBackend().then(
      (b) => {
        setBackend(b);
        onAuthStateChanged(b.auth, setUser);
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, []);
  if (error)
    return (
      <main>
        <p role="alert">{error}</p>
      </main>
    );
  if (!backend || user === undefined)
    return (
      <main>
        <p aria-busy="true">Loading…</p>
      </main>
    );
  if (!user) return <SignIn backend={backend} />;
  return <SignedIn key={user.uid} backend={backend} user={user} />;
}

render(<App />, document.getElementById("app") as HTMLElement);
