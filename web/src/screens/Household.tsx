import { useState } from "preact/hooks";
import { useHousehold, useSession } from "../data";
import { useAction } from "../ui/useAction";

/**
 * Household (§9): create or join one, invite, managed profiles (a child, the living-room TV) and switching
 * whose library the app shows.
 */
export function Household() {
  const session = useSession();
  const household = useHousehold();
  const [name, setName] = useState("");
  const [code, setCode] = useState("");
  const [profileName, setProfileName] = useState("");
  const [invite, setInvite] = useState<{ code: string; expiresAt: string } | null>(null);
  const { call, feedback } = useAction();

  if (!household.ready) return <p aria-busy="true">Loading…</p>;
  return (
    <section aria-labelledby="household-title">
      <h1 id="household-title">Household</h1>
      {feedback}
      {!household.householdId ? (
        <>
          <p>Share a sofa? A household sees each other's progress, and children or the living-room TV get a profile without a login.</p>
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              void call("createHousehold", { name });
            }}
          >
            <label>
              Household name <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <button type="submit">Create household</button>
          </form>
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              void call("joinHousehold", { code: code.trim() });
            }}
          >
            <label>
              Invite code <input required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
            </label>
            <button type="submit">Join</button>
          </form>
        </>
      ) : (
        <>
          <h2>{household.name ?? "Your household"}</h2>
          <h3>Profiles</h3>
          <ul class="plain" aria-label="Profiles">
            {household.profiles.map((profile) => {
              const mine = profile.kind === "managed" || profile.profileId === session.user.uid;
              const active = session.profileId === profile.profileId;
              return (
                <li key={profile.profileId}>
                  {profile.profileId === session.user.uid ? "You" : profile.name}{" "}
                  <span class="muted">({profile.kind === "managed" ? "no login" : "account"})</span>{" "}
                  {mine ? (
                    <button type="button" aria-pressed={active} disabled={active} onClick={() => session.setProfileId(profile.profileId)}>
                      {active
                        ? "Active"
                        : profile.profileId === session.user.uid
                          ? "Switch to your own profile"
                          : `Switch to ${profile.name}`}
                    </button>
                  ) : null}
                </li>
              );
            })}
          </ul>
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              void call("createProfile", { name: profileName }, () => {
                setProfileName("");
                return "Profile created.";
              });
            }}
          >
            <label>
              New profile name <input required value={profileName} onInput={(e) => setProfileName(e.currentTarget.value)} />
            </label>
            <button type="submit">Create profile</button>
          </form>
          <h3>Invite someone</h3>
          <button type="button" onClick={() => void call("createHouseholdInvite", {}, (answer) => setInvite(answer))}>
            Create an invite code
          </button>
          {invite ? (
            <p>
              Code <strong data-testid="invite-code">{invite.code}</strong>, valid once until {new Date(invite.expiresAt).toLocaleString()}.
            </p>
          ) : null}
          <h3>Members</h3>
          <ul class="plain" aria-label="Members">
            {household.members.map((member) => (
              <li key={member.uid}>
                {member.uid === session.user.uid ? "You" : member.uid} · {member.role}
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="secondary"
            onClick={() =>
              void call("leaveHousehold", {}, () => {
                session.setProfileId(session.user.uid);
                return "You left the household.";
              })
            }
          >
            Leave household
          </button>
        </>
      )}
    </section>
  );
}
