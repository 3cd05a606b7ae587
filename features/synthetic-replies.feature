@area:synthetic-replies
Feature: Synthetic replies
  Every request that was sent gets exactly one answer. When the replier cannot give it, KBUS
  answers in its place with a synthetic reply to the requester alone: Unbound when the replier
  unbinds with the request still unread in its queue, GoneAway when it closes with the request
  unread, Ignored when it closes after taking the request without answering, Disappeared when
  the replier vanished while the request was waiting to be delivered, and ErrorSending when
  delivering a waiting request failed for any other reason. A synthetic reply is flagged
  SYNTHETIC and nothing else, carries no data, answers the request in `in_reply_to` and comes
  from the replier (or from 0, KBUS itself, for the last two). It always finds room.

  @SYN-01 @spec:status-message @core @promise:guaranteed-reply
  Scenario: A replier that unbinds leaves an Unbound reply for each request it had not read
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.*"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Hall"
    When "alice" unbinds as replier from "$.Sensors.*"
    Then it succeeds
    And "alice" has 0 messages queued
    And "bob" receives "$.KBUS.Replier.Unbound" with:
      | from        | alice                             |
      | to          | bob                               |
      | in_reply_to | bob's request "$.Sensors.Kitchen" |
      | flags       | SYNTHETIC                         |
      | data        | none                              |
    And "bob" receives "$.KBUS.Replier.Unbound" with:
      | from        | alice                          |
      | to          | bob                            |
      | in_reply_to | bob's request "$.Sensors.Hall" |
      | flags       | SYNTHETIC                      |
      | data        | none                           |
    And "bob" receives nothing

  @SYN-02 @spec:status-message @core @promise:guaranteed-reply
  Scenario: A replier that closes leaves a GoneAway reply for each request it had not read
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.*"
    And "alice" listens to "$.Weather"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "carol" has sent an announcement "$.Weather"
    And "bob" has sent a request "$.Sensors.Hall"
    When "alice" is closed
    Then it succeeds
    And "bob" receives "$.KBUS.Replier.GoneAway" with:
      | from        | alice                             |
      | to          | bob                               |
      | in_reply_to | bob's request "$.Sensors.Kitchen" |
      | flags       | SYNTHETIC                         |
      | data        | none                              |
    And "bob" receives "$.KBUS.Replier.GoneAway" with:
      | from        | alice                          |
      | to          | bob                            |
      | in_reply_to | bob's request "$.Sensors.Hall" |
      | flags       | SYNTHETIC                      |
      | data        | none                           |
    And "bob" receives nothing
    And "carol" receives nothing

  @SYN-03 @spec:status-message @core @promise:guaranteed-reply
  Scenario: A replier that closes without answering a request it took leaves an Ignored reply
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "alice" is closed
    Then it succeeds
    And "bob" receives "$.KBUS.Replier.Ignored" with:
      | from        | alice              |
      | to          | bob                |
      | in_reply_to | bob's last request |
      | flags       | SYNTHETIC          |
      | data        | none               |
    And "bob" receives nothing

  @SYN-04 @spec:status-message @core @promise:guaranteed-reply
  Scenario: On close, GoneAway replies in queue order come before Ignored replies, newest taken first
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.*"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Hall"
    And "bob" has sent a request "$.Sensors.Garden"
    And "bob" has sent a request "$.Sensors.Attic"
    And "alice" has read the next message
    And "alice" has read the next message
    When "alice" is closed
    Then "bob" receives "$.KBUS.Replier.GoneAway" with:
      | in_reply_to | bob's request "$.Sensors.Garden" |
    And "bob" receives "$.KBUS.Replier.GoneAway" with:
      | in_reply_to | bob's request "$.Sensors.Attic" |
    And "bob" receives "$.KBUS.Replier.Ignored" with:
      | in_reply_to | bob's request "$.Sensors.Hall" |
    And "bob" receives "$.KBUS.Replier.Ignored" with:
      | in_reply_to | bob's request "$.Sensors.Kitchen" |
    And "bob" receives nothing

  @SYN-05 @spec:select-writesend-and-next-message-blocking @core @promise:guaranteed-reply
  Scenario: A waiting request whose replier closed is answered with Disappeared when retried
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "alice" listens to "$.Sensors.Hall"
    And the queue of "alice" is limited to 1 message
    And "carol" has sent an announcement "$.Sensors.Hall"
    And "bob" is left waiting to send the message:
      | name  | $.Sensors.Kitchen         |
      | flags | WANT_A_REPLY\|ALL_OR_WAIT |
    And "alice" has been closed
    When "bob" retries its waiting send by polling for up to 2000 ms
    Then the poll found "bob" writable
    And "bob" receives "$.KBUS.Replier.Disappeared" with:
      | from        | 0                  |
      | to          | bob                |
      | in_reply_to | bob's last request |
      | flags       | SYNTHETIC          |
      | data        | none               |
    And "bob" receives nothing

  @SYN-06 @spec:select-writesend-and-next-message-blocking @core @promise:guaranteed-reply
  Scenario: A waiting request that fails for another reason when retried is answered with ErrorSending
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "alice" listens to "$.Sensors.Hall"
    And the queue of "alice" is limited to 1 message
    And "carol" has sent an announcement "$.Sensors.Hall"
    And "bob" is left waiting to send the message:
      | name  | $.Sensors.Kitchen         |
      | flags | WANT_A_REPLY\|ALL_OR_WAIT |
      | to    | alice                     |
    And "alice" has unbound as replier from "$.Sensors.Kitchen"
    And "dave" is the replier for "$.Sensors.Kitchen"
    When "bob" retries its waiting send by polling for up to 2000 ms
    Then the poll found "bob" writable
    And "bob" receives "$.KBUS.ErrorSending" with:
      | from        | 0                  |
      | to          | bob                |
      | in_reply_to | bob's last request |
      | flags       | SYNTHETIC          |
      | data        | none               |
    And "bob" receives nothing
    And "dave" receives nothing

  @SYN-05 @spec:select-writesend-and-next-message-blocking @extended
  Scenario: A waiting reply whose requester has gone comes back to its own sender as Disappeared
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" listens to "$.Sensors.Hall"
    And the queue of "bob" is limited to 2 messages
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "carol" has sent an announcement "$.Sensors.Hall"
    And the queue of "bob" is limited to 1 message
    And "alice" has read the next message
    And "alice" is left waiting to send the message:
      | name        | $.Sensors.Kitchen  |
      | to          | bob                |
      | in_reply_to | bob's last request |
      | flags       | ALL_OR_WAIT        |
    And "bob" has been closed
    When "alice" retries its waiting send by polling for up to 2000 ms
    Then the poll found "alice" writable
    And "alice" receives "$.KBUS.Replier.Disappeared" with:
      | from        | 0                  |
      | to          | alice              |
      | in_reply_to | alice's last reply |
      | flags       | SYNTHETIC          |
    And "alice" receives nothing

  @SYN-07 @spec:status-message @core @promise:guaranteed-reply
  Scenario: A synthetic reply carries a fresh KBUS id and nothing but the answer
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent the message:
      | name  | $.Sensors.Kitchen  |
      | flags | WANT_A_REPLY       |
      | data  | "what temperature" |
    When "alice" unbinds as replier from "$.Sensors.Kitchen"
    Then "bob" receives "$.KBUS.Replier.Unbound" with:
      | to          | bob                |
      | from        | alice              |
      | in_reply_to | bob's last request |
      | flags       | SYNTHETIC          |
      | orig_from   | [0:0]              |
      | final_to    | [0:0]              |
      | extra       | 0                  |
      | data_len    | 0                  |
    And the message "bob" read last has a KBUS id newer than "bob's last request"

  @SYN-08 @spec:status-message @core @promise:guaranteed-reply
  Scenario: A synthetic reply is queued even when the requester's queue is over its limit
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" listens to "$.Sensors.Hall"
    And the queue of "bob" is limited to 2 messages
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "carol" has sent an announcement "$.Sensors.Hall"
    And the queue of "bob" is limited to 1 message
    When "alice" is closed
    Then "bob" has 2 messages queued
    And "bob" receives "$.Sensors.Hall"
    And "bob" receives "$.KBUS.Replier.GoneAway" with:
      | in_reply_to | bob's last request |

  @SYN-09 @spec:status-message @core @promise:guaranteed-reply
  Scenario: A synthetic reply gives the requester back the place it kept
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "carol" is the replier for "$.Sensors.Hall"
    And the queue of "bob" is limited to 1 message
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has unbound as replier from "$.Sensors.Kitchen"
    And "bob" has read the next message
    When "bob" sends a request "$.Sensors.Hall"
    Then it succeeds

  @SYN-09 @spec:status-message @core @promise:guaranteed-reply
  Scenario: Once a synthetic reply answered a request, a real reply to it is refused
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has unbound as replier from "$.Sensors.Kitchen"
    When "alice" sends the message:
      | name        | $.Sensors.Kitchen  |
      | to          | bob                |
      | in_reply_to | bob's last request |
    Then it fails with ECONNREFUSED
    And "bob" receives "$.KBUS.Replier.Unbound"
    And "bob" receives nothing

  @SYN-10 @spec:status-message @core @promise:guaranteed-reply
  Scenario: Synthetic replies go to the requester and to no listener
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.*"
    And "dave" listens to "$.KBUS.*"
    And "bob" has sent a request "$.Sensors.Kitchen"
    When "alice" is closed
    Then "bob" receives "$.KBUS.Replier.GoneAway"
    And "carol" receives "$.Sensors.Kitchen" with:
      | id | bob's last request |
    And "carol" receives nothing
    And "dave" receives nothing

  @SYN-11 @spec:status-message @core
  Scenario Outline: A synthetic reply for a requester that has gone is dropped quietly (replier <ending>)
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.KBUS.*"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "bob" has been closed
    When "alice" <ending>
    Then it succeeds
    And "carol" receives nothing

    Examples:
      | ending                                      |
      | unbinds as replier from "$.Sensors.Kitchen" |
      | is closed                                   |

  @SYN-12 @spec:stateful-transactions @core @promise:guaranteed-reply @spec-over-module
  Scenario Outline: A stateful request left unread is answered like any other (<status>)
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent the message:
      | name  | $.Sensors.Kitchen |
      | flags | WANT_A_REPLY      |
      | to    | alice             |
    When "alice" <ending>
    Then "bob" receives "<status>" with:
      | from        | alice              |
      | to          | bob                |
      | in_reply_to | bob's last message |
      | flags       | SYNTHETIC          |
    And "bob" receives nothing

    Examples:
      | ending                                      | status                  |
      | unbinds as replier from "$.Sensors.Kitchen" | $.KBUS.Replier.Unbound  |
      | is closed                                   | $.KBUS.Replier.GoneAway |

  @SYN-13 @spec:status-message @core @promise:guaranteed-reply
  Scenario: A replier that also listens leaves exactly one GoneAway per request when it closes
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "alice" listens to "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has 2 messages queued
    When "alice" is closed
    Then "bob" receives "$.KBUS.Replier.GoneAway" with:
      | in_reply_to | bob's last request |
    And "bob" receives nothing

  @SYN-13 @spec:status-message @core
  Scenario: Dropping the listener copy of a request produces no synthetic reply
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "alice" listens to "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    When "alice" unbinds as a listener from "$.Sensors.Kitchen"
    Then it succeeds
    And "bob" receives nothing
    And "alice" receives "$.Sensors.Kitchen" with:
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |
