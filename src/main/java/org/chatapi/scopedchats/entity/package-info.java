/** The JPA entities of scoped chats: {@code Chat} and its {@code EventRoomBinding}. */
package org.chatapi.scopedchats.entity;
