FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
# postinstall generates the Prisma client and builds dist/.
RUN npm ci --no-audit --no-fund
EXPOSE 3000
CMD ["npm", "run", "start:api"]
