/** The JPA entities of rooms: {@code Room} and {@code Message}, mapped onto the tables of db/migration. */
package org.chatapi.rooms.entity;
