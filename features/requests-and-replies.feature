@area:requests-and-replies
Feature: Requests and replies
  A request is a message that wants a reply: it can only be sent while some replier is bound
  to its name. It reaches that one replier, marked as wanting its reply, and every listener,
  unmarked. A reply names the request it answers and the Ksock that asked; it reaches the
  asker whether or not that Ksock is bound to anything, plus every listener to the name, and
  it is accepted only while that request is still waiting for its answer: once.

  @REQ-01 @spec:request-message @core @promise:request-reply
  Scenario: A request that no replier would take cannot be sent
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen"
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it fails with EADDRNOTAVAIL
    And "alice" receives nothing
    And "bob" has 0 messages queued
    And the refused message of "bob" used up a message id

  @REQ-01 @spec:request-message @core @promise:request-reply
  Scenario: A request is not sent just because a replier is bound to a sibling name
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Hall"
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it fails with EADDRNOTAVAIL
    And "alice" receives nothing

  @REQ-02 @spec:requests-and-replies @core @promise:request-reply
  Scenario: A request reaches its replier marked for reply and each listener unmarked
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And "dave" listens to "$.Sensors.*"
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | id    | bob's last request              |
      | from  | bob                             |
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |
    And "carol" receives "$.Sensors.Kitchen" with:
      | id    | bob's last request |
      | from  | bob                |
      | flags | WANT_A_REPLY       |
    And "dave" receives "$.Sensors.Kitchen" with:
      | id    | bob's last request |
      | flags | WANT_A_REPLY       |
    And "bob" receives nothing

  @REQ-03 @spec:reply-message @core @promise:request-reply
  Scenario: A reply reaches the Ksock that asked, though it is bound to nothing
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "alice" replies to the request it read
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | in_reply_to | bob's last request |
      | from        | alice              |
      | to          | bob                |
      | id          | alice's last reply |
      | flags       | 0                  |
    And "bob" receives nothing
    And "alice" still owes 0 replies

  @REQ-03 @spec:reply-message @core @promise:request-reply
  Scenario: Listeners to the name also receive the reply
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    And "carol" listens to "$.Sensors.Kitchen"
    When "alice" replies to the request it read
    Then it succeeds
    And "carol" receives "$.Sensors.Kitchen" with:
      | in_reply_to | bob's last request |
      | from        | alice              |
      | to          | bob                |

  @REQ-04 @spec:reply-message @core @promise:request-reply
  Scenario: A replier does not receive its own reply
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "alice" replies to the request it read
    Then it succeeds
    And "alice" receives nothing
    And "bob" receives "$.Sensors.Kitchen"

  @REQ-05 @spec:reply-message @core @promise:request-reply
  Scenario: A reply to a requester that has closed cannot be sent
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    And "bob" has been closed
    When "alice" replies to the request it read
    Then it fails with EADDRNOTAVAIL
    And the refused message of "alice" used up a message id
    And "alice" still owes 1 reply

  @REQ-05 @spec:reply-message @core
  Scenario: A reply addressed to Ksock id 0 cannot be sent
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "alice" sends the message:
      | name        | $.Sensors.Kitchen  |
      | to          | 0                  |
      | in_reply_to | bob's last request |
    Then it fails with EADDRNOTAVAIL
    And "alice" still owes 1 reply
    And "bob" receives nothing

  @REQ-05 @spec:reply-message @core @needs:fresh-device
  Scenario: A reply addressed to a Ksock id the bus never gave out cannot be sent
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "alice" sends the message:
      | name        | $.Sensors.Kitchen  |
      | to          | 1000               |
      | in_reply_to | bob's last request |
    Then it fails with EADDRNOTAVAIL
    And "alice" still owes 1 reply
    And "bob" receives nothing

  @REQ-06 @spec:reply-message @core @promise:request-reply
  Scenario: A reply naming a message that is not a request awaiting an answer is refused
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent an announcement "$.Sensors.Hall"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "alice" sends the message:
      | name        | $.Sensors.Kitchen                   |
      | to          | bob                                 |
      | in_reply_to | bob's announcement "$.Sensors.Hall" |
    Then it fails with ECONNREFUSED
    And the refused message of "alice" used up a message id
    And "bob" receives nothing
    And "alice" still owes 1 reply

  @REQ-06 @spec:reply-message @core @promise:request-reply
  Scenario: A reply to a Ksock that never asked is refused
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "alice" sends the message:
      | name        | $.Sensors.Kitchen  |
      | to          | carol              |
      | in_reply_to | bob's last request |
    Then it fails with ECONNREFUSED
    And "carol" receives nothing
    And "bob" receives nothing
    And "alice" still owes 1 reply

  @REQ-07 @spec:requests-and-replies @core @promise:guaranteed-reply
  Scenario: A request can be answered only once
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    And "alice" has replied to the request it read
    When "alice" replies to the request it read
    Then it fails with ECONNREFUSED
    And "bob" receives "$.Sensors.Kitchen" with:
      | in_reply_to | bob's last request |
    And "bob" receives nothing

  @REQ-08 @spec:requests-and-replies @extended
  Scenario: Any Ksock may send the reply that a request is waiting for
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    When "carol" sends the message:
      | name        | $.Sensors.Kitchen  |
      | to          | bob                |
      | in_reply_to | bob's last request |
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | from        | carol              |
      | in_reply_to | bob's last request |

  @REQ-08 @spec:requests-and-replies @extended
  Scenario: After another Ksock answered, the replier's own reply is refused but its close still reports Ignored
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    And "carol" has sent the message:
      | name        | $.Sensors.Kitchen  |
      | to          | bob                |
      | in_reply_to | bob's last request |
    When "alice" replies to the request it read
    Then it fails with ECONNREFUSED
    When "alice" is closed
    Then "bob" receives "$.Sensors.Kitchen" with:
      | from        | carol              |
      | in_reply_to | bob's last request |
    And "bob" receives "$.KBUS.Replier.Ignored" with:
      | from        | alice              |
      | in_reply_to | bob's last request |
      | flags       | SYNTHETIC          |
    And "bob" receives nothing

  @REQ-09 @spec:reply-message @core @promise:request-reply
  Scenario Outline: Delivered replies are never marked for reply (reply written with flags <written>)
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    And "carol" has read the next message
    When "alice" sends the message:
      | name        | $.Sensors.Kitchen  |
      | to          | bob                |
      | in_reply_to | bob's last request |
      | flags       | <written>          |
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | flags | <delivered> |
    And "carol" receives "$.Sensors.Kitchen" with:
      | flags | <delivered> |

    Examples:
      | written                   | delivered |
      | 0                         | 0         |
      | WANT_YOU_TO_REPLY         | 0         |
      | URGENT\|WANT_YOU_TO_REPLY | URGENT    |

  @REQ-09 @REP-04 @spec:reply-message @core @promise:request-reply
  Scenario: A reply that is also a request asks for an answer only in the copy its requester gets as replier
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Sensors.Confirm"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    When "alice" sends the message:
      | name        | $.Sensors.Confirm  |
      | to          | bob                |
      | in_reply_to | bob's last request |
      | flags       | WANT_A_REPLY       |
    Then it succeeds
    And "bob" receives "$.Sensors.Confirm" with:
      | in_reply_to | bob's last request |
      | flags       | WANT_A_REPLY       |
    And "bob" still owes 0 replies
    And "bob" receives "$.Sensors.Confirm" with:
      | in_reply_to | bob's last request              |
      | flags       | WANT_A_REPLY\|WANT_YOU_TO_REPLY |
    And "bob" still owes 1 reply

  @REQ-10 @spec:requests-and-replies @core @promise:sender-and-listener
  Scenario: A Ksock can send a request to itself and answer it
    Given a Ksock "alice"
    And "alice" is the replier for "$.Sensors.Kitchen"
    When "alice" sends a request "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | from  | alice                           |
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |
    When "alice" replies to the request it read
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | from        | alice                               |
      | to          | alice                               |
      | in_reply_to | alice's request "$.Sensors.Kitchen" |
      | flags       | 0                                   |
    And "alice" receives nothing

  @REQ-11 @spec:requests-and-replies @core @promise:guaranteed-reply
  Scenario: A thousand outstanding requests each get their reply
    Given the Ksocks "alice" and "bob"
    And the queue of "alice" is limited to 1050 messages
    And the queue of "bob" is limited to 1050 messages
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent 1000 requests "$.Sensors.Kitchen"
    When "alice" answers every request in its queue
    Then it succeeds
    And "bob" receives a reply to each of its 1000 requests, in order
    And "bob" receives nothing

  @REQ-12 @spec:requests-and-replies @core @promise:request-reply
  Scenario: A half-written message is unaffected by requests read and replies sent meanwhile
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Hall"
    And "bob" is the replier for "$.Sensors.Kitchen"
    And "alice" has written the first 40 bytes of a request "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Hall"
    And "alice" has read the next message
    When "alice" writes the rest of that request and sends it
    Then it succeeds
    When "bob" reads the next message
    And "bob" replies to the request it read
    Then it succeeds
    When "alice" replies to the request it read
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | from        | bob                                 |
      | in_reply_to | alice's request "$.Sensors.Kitchen" |
    And "bob" receives "$.Sensors.Hall" with:
      | from        | alice                          |
      | in_reply_to | bob's request "$.Sensors.Hall" |

  @ORD-03 @spec:error-numbers @extended
  Scenario: A request with no replier is refused as such even when a listener is full
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Kitchen"
    And the queue of "alice" is limited to 1 message
    And "bob" has sent an announcement "$.Sensors.Kitchen"
    When "bob" sends the message:
      | name  | $.Sensors.Kitchen         |
      | flags | WANT_A_REPLY\|ALL_OR_FAIL |
    Then it fails with EADDRNOTAVAIL
    And "alice" has 1 message queued

  @ORD-03 @spec:error-numbers @extended
  Scenario: A reply nobody is waiting for is refused as such even when the addressee is full
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "alice" has read the next message
    And "carol" listens to "$.Sensors.Hall"
    And the queue of "carol" is limited to 1 message
    And "bob" has sent an announcement "$.Sensors.Hall"
    When "alice" sends the message:
      | name        | $.Sensors.Kitchen  |
      | to          | carol              |
      | in_reply_to | bob's last request |
    Then it fails with ECONNREFUSED
    And "carol" has 1 message queued

  @ORD-03 @spec:error-numbers @extended
  Scenario: A stateful request to the wrong Ksock is refused as such even when the replier is full
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And the queue of "alice" is limited to 1 message
    And "carol" has sent a request "$.Sensors.Kitchen"
    When "bob" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | WANT_A_REPLY      |
      | to    | carol             |
    Then it fails with EPIPE
    And "alice" has 1 message queued

  @ORD-03 @spec:error-numbers @extended
  Scenario: A reply to a vanished requester is refused for its absence, not as unexpected
    Given the Ksocks "alice" and "bob"
    And "bob" has sent an announcement "$.Sensors.Kitchen"
    And "bob" has been closed
    When "alice" sends the message:
      | name        | $.Sensors.Kitchen                      |
      | to          | bob                                    |
      | in_reply_to | bob's announcement "$.Sensors.Kitchen" |
    Then it fails with EADDRNOTAVAIL
