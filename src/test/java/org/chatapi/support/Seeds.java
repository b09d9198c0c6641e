package org.chatapi.support;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The rows a test makes for itself, through the API (or, for sizes the API would take minutes for, directly). */
public final class Seeds {

    private Seeds() {
    }

    /** A new room owned by the caller; its id. */
    public static String room(Api owner) {
        Api.Reply reply = owner.post("/room");
        assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        return reply.json().getJsonObject("newRoom").getString("_id");
    }

    /** A message posted into the room; its id. */
    public static String message(Api author, String room, String text) {
        Api.Reply reply = author.postJson("/room/" + room + "/chat", Json.createObjectBuilder().add("chat", text).build());
        assertThat(reply.status()).as("%s", reply).isEqualTo(201);
        return reply.json().getJsonObject("chat").getString("_id");
    }

    /**
     * Messages written straight into the database, as many as a room gathers in years (posting them through the API
     * would take minutes): positions {@code __v + 1} and on, each author "seed", the room's and the author's counts kept exact.
     */
    public static void bulkMessages(String room, int count) {
        bulkMessages(room, count, "seed");
    }

    /** As {@link #bulkMessages(String, int)}, by this author; the texts are "message <position>". */
    public static void bulkMessages(String room, int count, String author) {
        try (Connection connection = Database.connect();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO message (id, room_id, position, author_sub, author_seq, body, created_at)
                     SELECT gen_random_uuid(), r.id, r.message_count + g, ?,
                            COALESCE((SELECT a.message_count FROM room_author a
                                       WHERE a.room_id = r.id AND a.author_sub = ?), 0) + g,
                            'message ' || (r.message_count + g),
                            now() - interval '1 day' + g * interval '1 millisecond'
                       FROM room r, generate_series(1, ?) g WHERE r.id = ?::uuid""");
             PreparedStatement authored = connection.prepareStatement("""
                     INSERT INTO room_author (room_id, author_sub, message_count) VALUES (?::uuid, ?, ?)
                     ON CONFLICT (room_id, author_sub)
                     DO UPDATE SET message_count = room_author.message_count + EXCLUDED.message_count""");
             PreparedStatement bump = connection.prepareStatement(
                     "UPDATE room SET message_count = message_count + ? WHERE id = ?::uuid")) {
            connection.setAutoCommit(false);
            insert.setString(1, author);
            insert.setString(2, author);
            insert.setInt(3, count);
            insert.setString(4, room);
            insert.executeUpdate();
            authored.setString(1, room);
            authored.setString(2, author);
            authored.setInt(3, count);
            authored.executeUpdate();
            bump.setInt(1, count);
            bump.setString(2, room);
            bump.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages of {@code length} characters each, written straight into the database like {@link #bulkMessages}. */
    public static void largeMessages(String room, int count, int length) {
        try (Connection connection = Database.connect();
             PreparedStatement insert = connection.prepareStatement("""
                     WITH bumped AS (UPDATE room SET message_count = message_count + ? WHERE id = ?::uuid
                                     RETURNING id, message_count - ? AS before),
                          counted AS (INSERT INTO room_author (room_id, author_sub, message_count)
                                      SELECT id, 'seed', ? FROM bumped
                                      ON CONFLICT (room_id, author_sub)
                                      DO UPDATE SET message_count = room_author.message_count + EXCLUDED.message_count
                                      RETURNING message_count - ? AS before)
                     INSERT INTO message (id, room_id, position, author_sub, author_seq, body, created_at)
                     SELECT gen_random_uuid(), b.id, b.before + g, 'seed', c.before + g, repeat('x', ?), now()
                       FROM bumped b, counted c, generate_series(1, ?) g""")) {
            insert.setInt(1, count);
            insert.setString(2, room);
            insert.setInt(3, count);
            insert.setInt(4, count);
            insert.setInt(5, count);
            insert.setInt(6, length);
            insert.setInt(7, count);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
