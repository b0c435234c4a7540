CREATE TABLE `home_feed` (
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`reblog_of_id` text,
	PRIMARY KEY(`account_id`, `status_id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `home_feed_reblog` ON `home_feed` (`account_id`,`reblog_of_id`);--> statement-breakpoint
-- Fill the feed from what the server already holds: own posts, followed accounts' posts, mentions.
INSERT OR IGNORE INTO `home_feed` (`account_id`, `status_id`, `reblog_of_id`)
SELECT u.`account_id`, s.`id`, s.`reblog_of_id`
FROM `users` u JOIN `statuses` s
  ON s.`account_id` = u.`account_id`
  OR s.`account_id` IN (SELECT f.`target_account_id` FROM `follows` f WHERE f.`account_id` = u.`account_id`)
  OR s.`id` IN (SELECT m.`status_id` FROM `mentions` m WHERE m.`account_id` = u.`account_id`);
