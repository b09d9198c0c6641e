-- The transaction of POST /api/v1/chats: the event room, the chat and its binding. Each scope is new (the chat's id
-- in it): a scope taken already would leave the chat out and fail the binding, and pgbench with it.
SELECT gen_random_uuid() AS room_id, gen_random_uuid() AS chat_id \gset
BEGIN;
INSERT INTO room (created_at, last_activity_at, owner_sub, id) VALUES (now(), now(), 'bench', :room_id::uuid);
INSERT INTO chat (id, audience, scope, tags, created_by, created_at)
VALUES (:chat_id::uuid, 'bench', 'ceiling-' || :chat_id::text, CAST(NULL AS jsonb), 'bench', now())
ON CONFLICT (audience, scope) DO NOTHING;
INSERT INTO chat_event_room (chat_id, room_id, origin, bound_at) VALUES (:chat_id::uuid, :room_id::uuid, 'created', now())
ON CONFLICT (room_id) DO NOTHING;
END;
