@area:all-or-fail-and-wait
Feature: All-or-fail and all-or-wait sending
  By default KBUS is lossy: a listener whose queue is full simply misses a message, and everyone
  else still gets it. A sender that cannot accept that sets one of two send flags. With
  ALL_OR_FAIL the message reaches every intended recipient or nobody, and SEND says EBUSY. With
  ALL_OR_WAIT SEND returns EAGAIN at once, delivers nothing yet, and leaves the Ksock "sending":
  writing is refused with EALREADY until the message is discarded or goes through, which happens
  when poll (or another SEND) retries it and every recipient has room. The flags govern replies
  too, and they are delivered as sent.

  Where a recipient must have no room, it holds one message in a queue limited to one.

  @ALL-01 @spec:send-flags @core @promise:lossy-delivery
  Scenario Outline: With room everywhere, <flag> changes nothing about delivery
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    When "alice" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | <flag>            |
      | data  | "21.5C"           |
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | id   | alice's last message |
      | data | "21.5C"              |
    And "carol" receives "$.Sensors.Kitchen" with:
      | id   | alice's last message |
      | data | "21.5C"              |
    And "alice" is writable

    Examples:
      | flag        |
      | ALL_OR_FAIL |
      | ALL_OR_WAIT |

  @ALL-02 @spec:send-flags @core
  Scenario: A header asking for both all-or-fail and all-or-wait is refused as it is written
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    When "alice" writes, without sending, the message:
      | name  | $.Sensors.Kitchen         |
      | flags | ALL_OR_FAIL\|ALL_OR_WAIT |
    Then it fails with EINVAL
    And "alice" has nothing left to send
    And "bob" has 0 messages queued

  @ALL-03 @spec:send-flags @core @promise:lossy-delivery
  Scenario: An all-or-fail announcement that one listener has no room for reaches nobody
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    When "alice" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_FAIL       |
      | data  | "second reading"  |
    Then it fails with EBUSY
    And the refused message of "alice" used up a message id
    And "bob" has 1 message queued
    And "carol" has 1 message queued
    And "bob" receives "$.Sensors.Kitchen" with:
      | data | none |
    And "bob" receives nothing
    And "alice" is writable

  @Q-05 @spec:queues-filling-up @core @promise:lossy-delivery
  Scenario: Without a send flag the same announcement reaches everyone who has room
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    When "alice" sends an announcement "$.Sensors.Kitchen" with data "second reading"
    Then it succeeds
    And "bob" has 2 messages queued
    And "carol" has 1 message queued

  @ALL-04 @spec:send-flags @core @promise:lossy-delivery
  Scenario: An all-or-wait announcement that one listener has no room for leaves the sender waiting
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    When "alice" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
      | data  | "second reading"  |
    Then it fails with EAGAIN
    And the refused message of "alice" used up a message id
    And "bob" has 1 message queued
    And "carol" has 1 message queued
    And "alice" is not writable

  @ALL-10 @spec:queues-filling-up @core @promise:lossy-delivery
  Scenario: SEND of a blocked all-or-wait message returns at once instead of waiting for room
    Given the Ksocks "alice" and "carol"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    When "alice" sends the message, giving SEND at most 1000 ms to return:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
    Then SEND returned within the time allowed
    And it fails with EAGAIN
    And "carol" has 1 message queued

  @ALL-05 @spec:select-writesend-and-next-message-blocking @core @spec-over-module
  Scenario: A Ksock waiting to send refuses new message bytes with EALREADY
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
      | data  | "second reading"  |
    When "alice" writes, without sending, the message:
      | name | $.Sensors.Hall |
    Then it fails with EALREADY
    And "alice" is not writable
    And "bob" has 1 message queued

  @ALL-05 @spec:select-writesend-and-next-message-blocking @core @spec-over-module
  Scenario: A refused write does not disturb the message that is waiting to be sent
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
      | data  | "second reading"  |
    And writing a message "$.Sensors.Hall" through "alice" has been refused with EALREADY
    And "carol" has read the next message
    When "alice" retries its waiting send by polling for up to 2000 ms
    Then the poll found "alice" writable
    And "carol" receives "$.Sensors.Kitchen" with:
      | id   | alice's last message |
      | data | "second reading"     |
    And "carol" receives nothing

  @ALL-06 @spec:select-writesend-and-next-message-blocking @core
  Scenario: Discarding a waiting message abandons it and lets the Ksock write again
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
      | data  | "second reading"  |
    When "alice" discards the message it is waiting to send
    Then it succeeds
    And "alice" is writable
    And "alice" has nothing left to send
    And "bob" has 1 message queued
    And "carol" has 1 message queued

  @ALL-07 @spec:select-writesend-and-next-message-blocking @core @promise:lossy-delivery
  Scenario: Once room appears, a poll retries the waiting message and it reaches everyone with its id
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
      | data  | "second reading"  |
    And "carol" has read the next message
    When "alice" retries its waiting send by polling for up to 2000 ms
    Then the poll found "alice" writable
    And "bob" receives "$.Sensors.Kitchen" with:
      | data | none |
    And "bob" receives "$.Sensors.Kitchen" with:
      | id   | alice's last message |
      | data | "second reading"     |
    And "carol" receives "$.Sensors.Kitchen" with:
      | id   | alice's last message |
      | data | "second reading"     |
    And LASTSENT of "alice" is still the id its waiting message was given

  @ALL-08 @spec:select-writesend-and-next-message-blocking @core
  Scenario: SEND again while still blocked gives EAGAIN again and keeps the message waiting
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
      | data  | "second reading"  |
    When "alice" sends the waiting message again
    Then it fails with EAGAIN
    And LASTSENT of "alice" is still the id its waiting message was given
    And "alice" is not writable
    And "bob" has 1 message queued

  @ALL-08 @spec:select-writesend-and-next-message-blocking @core
  Scenario: SEND again once room has appeared delivers the waiting message with the same id
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Sensors.Kitchen |
      | flags | ALL_OR_WAIT       |
      | data  | "second reading"  |
    And "carol" has read the next message
    When "alice" sends the waiting message again
    Then it succeeds
    And SEND gave "alice" the id its waiting message was given
    And "alice" is writable
    And "carol" receives "$.Sensors.Kitchen" with:
      | id   | alice's last message |
      | data | "second reading"     |

  @ALL-08 @spec:select-writesend-and-next-message-blocking @core
  Scenario: SEND again failing for another reason drops the waiting message
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" is the replier for "$.Lights.Kitchen"
    And "bob" listens to "$.Sensors.Kitchen"
    And the queue of "bob" is limited to 1 message
    And "carol" has sent an announcement "$.Sensors.Kitchen"
    And "alice" is left waiting to send the message:
      | name  | $.Lights.Kitchen          |
      | flags | WANT_A_REPLY\|ALL_OR_WAIT |
    And "bob" has unbound as replier from "$.Lights.Kitchen"
    When "alice" sends the waiting message again
    Then it fails with EADDRNOTAVAIL
    And "alice" has nothing left to send
    And "alice" is writable
    And "bob" has 1 message queued

  @ALL-09 @spec:send-flags @core @promise:lossy-delivery
  Scenario Outline: A reply to a requester with no room left fails with <errno> when sent <how>
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" is the replier for "$.Lights.Kitchen"
    And "alice" listens to "$.Sensors.Kitchen"
    And "alice" has sent a request "$.Lights.Kitchen"
    And "carol" has sent an announcement "$.Sensors.Kitchen"
    And the queue of "alice" is limited to 1 message
    And "bob" has read the next message
    When "bob" sends the message:
      | name        | $.Lights.Kitchen     |
      | to          | alice                |
      | in_reply_to | alice's last request |
      | flags       | <flags>              |
    Then it fails with <errno>
    And "alice" has 1 message queued

    Examples:
      | how                | flags       | errno  |
      | without send flags | 0           | EBUSY  |
      | with ALL_OR_FAIL   | ALL_OR_FAIL | EBUSY  |
      | with ALL_OR_WAIT   | ALL_OR_WAIT | EAGAIN |

  @ALL-09 @spec:send-flags @core @promise:lossy-delivery
  Scenario: An all-or-fail reply that a listener has no room for reaches nobody, not even the requester
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" is the replier for "$.Lights.Kitchen"
    And "carol" listens to "$.Lights.Kitchen"
    And the queue of "carol" is limited to 1 message
    And "alice" has sent a request "$.Lights.Kitchen"
    And "bob" has read the next message
    When "bob" sends the message:
      | name        | $.Lights.Kitchen     |
      | to          | alice                |
      | in_reply_to | alice's last request |
      | flags       | ALL_OR_FAIL          |
    Then it fails with EBUSY
    And "alice" has 0 messages queued
    And "carol" has 1 message queued

  @ALL-11 @spec:message-flags @core
  Scenario Outline: Every copy of a message keeps the <flag> bit it was sent with
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" is the replier for "$.Lights.Kitchen"
    And "carol" listens to "$.Lights.Kitchen"
    When "alice" sends the message:
      | name  | $.Lights.Kitchen      |
      | flags | WANT_A_REPLY\|<flag> |
    Then it succeeds
    And "bob" receives "$.Lights.Kitchen" with:
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY\|<flag> |
    And "carol" receives "$.Lights.Kitchen" with:
      | flags | WANT_A_REPLY\|<flag> |

    Examples:
      | flag        |
      | ALL_OR_FAIL |
      | ALL_OR_WAIT |

  @ALL-12 @spec:send-flags @core @promise:lossy-delivery
  Scenario: A request to a replier with a full queue gives EAGAIN, not EBUSY, when sent all-or-wait
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "bob" is the replier for "$.Lights.Kitchen"
    And "bob" listens to "$.Sensors.Kitchen"
    And "dave" listens to "$.Lights.Kitchen"
    And the queue of "bob" is limited to 1 message
    And "carol" has sent an announcement "$.Sensors.Kitchen"
    When "alice" sends the message:
      | name  | $.Lights.Kitchen          |
      | flags | WANT_A_REPLY\|ALL_OR_WAIT |
    Then it fails with EAGAIN
    And the refused message of "alice" used up a message id
    And "bob" has 1 message queued
    And "dave" has 0 messages queued
    And "alice" is not writable
