import { useEffect, useState } from "preact/hooks";
import { limit, orderBy, query, type Timestamp } from "firebase/firestore";
import { useLocation } from "preact-iso";
import { errorText } from "../firebase";
import { useAction } from "../ui/useAction";
import { useCollection, useDocument, useSession } from "../data";
import { episodeCode } from "../ui/Progress";
import { FriendName } from "./Show";

interface Shared {
  media: { type: "show" | "episode" | "movie"; showId?: number; movieId?: number };
  title: string;
  season?: number;
  episode?: number;
  episodeName?: string | null;
  airDate?: string | null;
}
interface MessageDoc {
  senderUid: string;
  type: "text" | "shared_show" | "shared_episode" | "shared_movie";
  text: string | null;
  shared: Shared | null;
  createdAt: Timestamp | null;
}

/** Friends and direct messages (§10): a public handle, requests, friends, conversations, shared episodes. */
export function Friends({ conversationId }: { conversationId?: string }) {
  const session = useSession();
  const uid = session.user.uid;
  const me = useDocument<{ handle: string; displayName: string }>(["public_profiles", uid]);
  const requests = useCollection<{ handle: string; displayName: string }>(["users", uid, "friend_requests"]);
  const friends = useCollection<{ since: Timestamp }>(["users", uid, "friends"]);
  const conversations = useCollection<{ withUid: string; unread: number }>(["users", uid, "conversations"], (q) =>
    query(q, orderBy("lastMessageAt", "desc"), limit(30)),
  );
  const { route } = useLocation();
  const [handle, setHandle] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [friendHandle, setFriendHandle] = useState("");
  const { call, feedback } = useAction();

  return (
    <section aria-labelledby="friends-title">
      <h1 id="friends-title">Friends</h1>
      {feedback}
      {me.ready && !me.data ? (
        // Keyed: without keys Preact reuses this form's DOM for "Add a friend" once it is replaced, and the
        // handle input's `pattern` stays behind as pattern="", which blocks every friend request.
        <form
          key="public-profile"
          class="row"
          aria-label="Your public profile"
          onSubmit={(e) => {
            e.preventDefault();
            void call("setPublicProfile", { handle, displayName });
          }}
        >
          <label>
            Your handle <input required value={handle} pattern="[a-z0-9_.]{3,30}" onInput={(e) => setHandle(e.currentTarget.value)} />
          </label>
          <label>
            Display name <input required value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
          </label>
          <button type="submit">Save profile</button>
        </form>
      ) : me.data ? (
        <p>
          You are <strong>@{me.data.handle}</strong> ({me.data.displayName}).
        </p>
      ) : null}
      <form
        key="add-friend"
        class="row"
        aria-label="Add a friend"
        onSubmit={(e) => {
          e.preventDefault();
          void call("sendFriendRequest", { handle: friendHandle.replace(/^@/, "") }, (answer) => {
            setFriendHandle("");
            return answer.status === "friends" ? "You are now friends." : "Request sent.";
          });
        }}
      >
        <label>
          Friend's handle <input required value={friendHandle} onInput={(e) => setFriendHandle(e.currentTarget.value)} />
        </label>
        <button type="submit">Add friend</button>
      </form>
      {requests.data?.length ? (
        <>
          <h2>Requests</h2>
          <ul class="plain" aria-label="Friend requests">
            {requests.data.map(([from, request]) => (
              <li key={from}>
                {request.displayName} (@{request.handle}){" "}
                <button type="button" onClick={() => void call("respondFriendRequest", { uid: from, accept: true })}>
                  Accept @{request.handle}
                </button>{" "}
                <button type="button" class="secondary" onClick={() => void call("respondFriendRequest", { uid: from, accept: false })}>
                  Decline
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Friends</h2>
      {friends.data?.length === 0 ? <p class="muted">No friends yet.</p> : null}
      <ul class="plain" aria-label="Friends">
        {friends.data?.map(([friendUid]) => (
          <li key={friendUid}>
            <FriendName uid={friendUid} />{" "}
            <button
              type="button"
              onClick={() => void call("openConversation", { uid: friendUid }, (answer) => route(`/friends/${answer.conversationId}`))}
            >
              Message
            </button>
          </li>
        ))}
      </ul>
      <h2>Conversations</h2>
      <ul class="plain" aria-label="Conversations">
        {conversations.data?.map(([id, conversation]) => (
          <li key={id}>
            <a href={`/friends/${id}`} aria-current={id === conversationId ? "page" : undefined}>
              <FriendName uid={conversation.withUid} />
            </a>
            {conversation.unread ? <span class="badge"> {conversation.unread} new</span> : null}
          </li>
        ))}
      </ul>
      {conversationId ? <Conversation key={conversationId} conversationId={conversationId} /> : null}
    </section>
  );
}

function SharedCard({ shared }: { shared: Shared }) {
  const href = shared.media.showId ? `/show/${shared.media.showId}` : undefined;
  return (
    <div class="shared" data-testid="shared">
      <a href={href}>{shared.title}</a>
      {shared.season !== undefined && shared.episode !== undefined ? ` ${episodeCode(shared.season, shared.episode)}` : ""}
      {shared.episodeName ? ` “${shared.episodeName}”` : ""}
      {shared.airDate ? <span class="muted"> · aired {shared.airDate}</span> : null}
    </div>
  );
}

/** One conversation, live: the newest 50 messages, oldest first. */
function Conversation({ conversationId }: { conversationId: string }) {
  const session = useSession();
  const messages = useCollection<MessageDoc>(["conversations", conversationId, "messages"], (q) =>
    query(q, orderBy("createdAt", "desc"), limit(50)),
  );
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const count = messages.data?.length ?? 0;
  useEffect(() => {
    if (count > 0)
      void session.backend
        .api()
        .then((api) => api.markConversationRead({ conversationId }))
        .catch(() => undefined);
  }, [count, conversationId]);
  const send = async (event: Event) => {
    event.preventDefault();
    try {
      await (await session.backend.api()).sendMessage({ conversationId, clientMessageId: crypto.randomUUID(), text });
      setText("");
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section class="conversation" aria-label="Conversation">
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {messages.error ? (
        <p role="alert" class="error">
          {messages.error}
        </p>
      ) : null}
      <ol class="messages" aria-live="polite">
        {[...(messages.data ?? [])].reverse().map(([id, m]) => (
          <li key={id} class={m.senderUid === session.user.uid ? "mine" : "theirs"}>
            {m.shared ? <SharedCard shared={m.shared} /> : null}
            {m.text ? <p>{m.text}</p> : null}
          </li>
        ))}
      </ol>
      <form class="row" onSubmit={(e) => void send(e)}>
        <label>
          Message <input required maxLength={2000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button type="submit">Send</button>
      </form>
    </section>
  );
}
